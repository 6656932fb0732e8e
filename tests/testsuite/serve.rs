//! `folio serve` on a loopback port, driven over raw TCP so that no client
//! tidies a path before it is sent: the search API, search without
//! JavaScript, static files and their headers, requests that try to leave
//! the site folder, and `--watch` rebuilding, reloading and reporting.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::harness::Site;

/// How long any one step may take before the test fails.
const PATIENCE: Duration = Duration::from_secs(60);

/// A running `folio serve`, killed when dropped.
struct Server {
    child: Child,
    address: SocketAddr,
}

impl Server {
    /// Start `folio serve --port 0` in the site folder and read the address
    /// it prints.
    fn start(site: &Site, extra: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(["serve", "--port", "0"])
            .args(extra)
            .current_dir(&site.root)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("folio starts");
        let stdout = child.stdout.take().unwrap();
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        let mut server = Self { child, address: "127.0.0.1:1".parse().unwrap() };
        let line = receiver.recv_timeout(PATIENCE).expect("folio serve prints its address");
        let url = line.split_whitespace().find(|w| w.starts_with("http://")).expect("an address");
        server.address = url.trim_start_matches("http://").trim_end_matches('/').parse().unwrap();
        assert!(server.address.ip().is_loopback(), "{line}");
        server
    }

    /// `GET path` with extra header lines.
    fn get_with(&self, path: &str, headers: &[&str]) -> Reply {
        let mut stream = self.connect();
        let mut request =
            format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        for header in headers {
            request.push_str(header);
            request.push_str("\r\n");
        }
        request.push_str("\r\n");
        stream.write_all(request.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).expect("the server answers in time");
        Reply::parse(&bytes)
    }

    fn get(&self, path: &str) -> Reply {
        self.get_with(path, &[])
    }

    fn json(&self, path: &str) -> serde_json::Value {
        let reply = self.get(path);
        assert_eq!(reply.status, 200, "{path}: {}", reply.text());
        serde_json::from_slice(&reply.body).unwrap()
    }

    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect_timeout(&self.address, PATIENCE).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        stream
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A response: status, headers (names lowercased) and the body, de-chunked.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn parse(bytes: &[u8]) -> Self {
        let split = bytes.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete head");
        let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
        let mut lines = head.split("\r\n");
        let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
        let headers: Vec<(String, String)> = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
            .collect();
        let mut body = bytes[split + 4..].to_vec();
        if headers.iter().any(|(n, v)| n == "transfer-encoding" && v.contains("chunked")) {
            body = dechunk(&body);
        }
        Self { status, headers, body }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn dechunk(mut bytes: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let Some(end) = bytes.windows(2).position(|w| w == b"\r\n") else { return body };
        let size = std::str::from_utf8(&bytes[..end]).unwrap().split(';').next().unwrap();
        let size = usize::from_str_radix(size.trim(), 16).unwrap();
        if size == 0 {
            return body;
        }
        body.extend_from_slice(&bytes[end + 2..end + 2 + size]);
        bytes = &bytes[end + 2 + size + 2..];
    }
}

/// The real catalogue, built.
fn built_catalogue() -> Site {
    let site = Site::real_catalogue();
    let outcome = site.build();
    assert!(outcome.written.is_some(), "{:?}", outcome.diagnostics);
    site
}

/// Wait until `ready` holds, checking every 100 ms.
fn wait_for(what: &str, mut ready: impl FnMut() -> bool) {
    let started = Instant::now();
    while !ready() {
        assert!(started.elapsed() < PATIENCE, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn ids(results: &serde_json::Value) -> Vec<String> {
    results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_search_api_ranks_filters_counts_and_pages() {
    let site = built_catalogue();
    let server = Server::start(&site, &[]);

    let kyoto = server.json("/api/search?q=Kyoto");
    let first_three = &ids(&kyoto)[..3];
    assert!(first_three.contains(&"kyoto-convention-1973".to_owned()), "{first_three:?}");
    assert!(first_three.contains(&"revised-kyoto-protocol-1999".to_owned()), "{first_three:?}");
    let hit = &kyoto["hits"][0];
    for field in ["id", "title", "url", "type", "year", "snippet"] {
        assert!(!hit[field].is_null(), "a hit has `{field}`: {hit}");
    }
    assert!(kyoto["took_ms"].is_number());
    assert!(hit["snippet"].as_str().unwrap().contains("<mark>"), "{hit}");

    // A filter by type: only that type, and its count as in catalogue.json.
    let catalogue: serde_json::Value =
        serde_json::from_str(&site.read_out("catalogue.json")).unwrap();
    let conventions = catalogue["instruments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["type"] == "convention")
        .count();
    let filtered = server.json("/api/search?q=convention&type=convention&per_page=100");
    assert!(ids(&filtered).len() > 1);
    assert!(filtered["hits"].as_array().unwrap().iter().all(|h| h["type"] == "convention"));
    let everything = server.json("/api/search?q=&type=convention&per_page=100");
    assert_eq!(everything["total"], conventions);
    let facet = &everything["facets"]["type"];
    assert_eq!(facet[0]["value"], "convention");
    assert_eq!(facet[0]["count"], conventions);

    // Facets over all matches agree with catalogue.json, type by type.
    let all = server.json("/api/search?q=&per_page=1");
    for count in all["facets"]["type"].as_array().unwrap() {
        let key = count["value"].as_str().unwrap();
        let expected = catalogue["instruments"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["type"] == key)
            .count();
        assert_eq!(count["count"], expected, "type `{key}`");
    }

    // Years and paging.
    let nineties = server.json("/api/search?q=&from=1990&to=1999&per_page=100");
    for hit in nineties["hits"].as_array().unwrap() {
        let year = hit["year"].as_i64().unwrap();
        assert!((1990..=1999).contains(&year), "{hit}");
    }
    let page_one = server.json("/api/search?q=customs&per_page=5&page=1");
    let page_two = server.json("/api/search?q=customs&per_page=5&page=2");
    assert_eq!(page_one["total"], page_two["total"]);
    assert_eq!(page_two["page"], 2);
    let (one, two) = (ids(&page_one), ids(&page_two));
    assert_eq!(one.len(), 5);
    assert!(one.iter().all(|id| !two.contains(id)), "{one:?} {two:?}");

    // A point in time: the Kyoto Convention before its revision entered into force, the
    // Protocol of Amendment after.
    let in_1980 = ids(&server.json("/api/search?q=Kyoto&in_force_on=1980"));
    assert!(in_1980.contains(&"kyoto-convention-1973".to_owned()), "{in_1980:?}");
    assert!(!in_1980.contains(&"revised-kyoto-protocol-1999".to_owned()), "{in_1980:?}");
    let in_2010 = ids(&server.json("/api/search?q=Kyoto&in_force_on=2010-06-30"));
    assert!(in_2010.contains(&"revised-kyoto-protocol-1999".to_owned()), "{in_2010:?}");
    assert!(!in_2010.contains(&"kyoto-convention-1973".to_owned()), "{in_2010:?}");
    let not_a_date = server.get("/api/search?q=x&in_force_on=1990-13");
    assert_eq!(not_a_date.status, 400);
    assert!(not_a_date.text().contains("`in_force_on`"), "{}", not_a_date.text());

    // Prefixes as typed, and a wrong parameter.
    let typed = server.json("/api/search?q=Kyo&prefix=1");
    assert!(ids(&typed).contains(&"kyoto-convention-1973".to_owned()));
    let wrong = server.get("/api/search?q=x&page=two");
    assert_eq!(wrong.status, 400);
    assert!(wrong.text().contains("`page`"), "{}", wrong.text());
    assert_eq!(server.get("/api/search?q=x").header("cache-control"), Some("no-cache"));
}

#[test]
fn the_search_page_has_results_without_javascript() {
    let site = built_catalogue();
    let server = Server::start(&site, &[]);

    let page = server.get("/search/?q=Kyoto");
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("International Convention on the Simplification and Harmonization"));
    assert!(
        html.contains("href=\"../instruments/kyoto-convention-1973/"),
        "links relative to the page"
    );
    assert!(html.contains("<mark>Kyoto</mark>"));
    assert!(html.contains("entries found"), "the count");
    assert!(html.contains("name=\"q\" value=\"Kyoto\""), "the query stays in the form");
    assert!(!html.contains("<!--folio:results-->"));

    // Russian page, Russian strings, links back to the Russian pages.
    let russian = server.get("/ru/search/?q=%D0%9A%D0%B8%D0%BE%D1%82%D0%BE").text();
    assert!(russian.contains("href=\"../../ru/instruments/"), "{russian}");
    assert!(russian.contains("Найден"), "the Russian count line");

    // What the reader typed is escaped, never markup.
    let hostile = server.get("/search/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E%22").text();
    assert!(!hostile.contains("<script>alert"), "escaped query");
    assert!(hostile.contains("&lt;script&gt;"));

    // Without a query, the built page as it is.
    let plain = server.get("/search/");
    assert_eq!(plain.status, 200);
    assert!(plain.text().contains("<!--folio:results-->"));
    assert!(plain.text().contains("assets/search.js"));
}

#[test]
fn static_files_have_types_caching_compression_and_a_404_page() {
    let site = built_catalogue();
    let server = Server::start(&site, &[]);

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(home.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(home.header("cache-control"), Some("no-cache"));
    let csp = home.header("content-security-policy").expect("a security policy");
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert_eq!(home.header("x-content-type-options"), Some("nosniff"));
    assert!(!home.text().contains("__folio"), "no reload script outside watch mode");

    let css = server.get("/assets/style.css");
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(css.header("cache-control").unwrap().contains("max-age=31536000"));
    let json = server.get("/catalogue.json");
    assert_eq!(json.header("content-type"), Some("application/json"));
    let script = server.get("/assets/search.js");
    assert!(script.header("content-type").unwrap().contains("javascript"));

    // Revalidation with the ETag.
    let etag = home.header("etag").expect("an ETag").to_owned();
    let again = server.get_with("/", &[&format!("If-None-Match: {etag}")]);
    assert_eq!(again.status, 304);

    // Compression when asked, and only then.
    let gzip = server.get_with("/catalogue.json", &["Accept-Encoding: gzip"]);
    assert_eq!(gzip.header("content-encoding"), Some("gzip"));
    assert_eq!(&gzip.body[..2], [0x1f, 0x8b]);
    assert!(gzip.body.len() < json.body.len() / 3);
    let br = server.get_with("/", &["Accept-Encoding: br"]);
    assert_eq!(br.header("content-encoding"), Some("br"));
    assert_eq!(json.header("content-encoding"), None);

    // Unknown paths get the site's 404 page.
    let missing = server.get("/instruments/no-such-instrument/");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.text(), site.read_out("404.html"));
    assert_eq!(server.get("/search").status, 307, "a folder redirects to its address with a slash");
}

#[test]
fn no_request_leaves_the_site_folder() {
    let site = built_catalogue();
    let secret = "the secret bytes that must never be served";
    site.write("public-leak/secret.txt", secret);
    site.write("outside.txt", secret);
    #[cfg(unix)]
    {
        let out = site.out();
        std::os::unix::fs::symlink(site.root.join("public-leak"), out.join("leak")).unwrap();
        std::os::unix::fs::symlink(site.root.join("outside.txt"), out.join("outside.txt")).unwrap();
    }
    let server = Server::start(&site, &[]);

    for path in [
        "/../outside.txt",
        "/../../outside.txt",
        "/%2e%2e/outside.txt",
        "/%2E%2E/outside.txt",
        "/..%2fpublic-leak/secret.txt",
        "/..%2Fpublic-leak/secret.txt",
        "/%252e%252e/outside.txt",
        "/%252e%252e%252fpublic-leak/secret.txt",
        "/..\\outside.txt",
        "/..%5coutside.txt",
        "/%5c..%5cpublic-leak%5csecret.txt",
        "/instruments/../../outside.txt",
        "/outside.txt%00.html",
        "/leak/secret.txt",
        "/outside.txt",
        "/.folio-build",
        "//etc/passwd",
    ] {
        let reply = server.get(path);
        assert!(matches!(reply.status, 400 | 404), "{path}: {}", reply.status);
        assert!(!reply.text().contains(secret), "{path} served the secret");
    }

    let long = format!("/api/search?q={}", "a".repeat(9000));
    assert_eq!(server.get(&long).status, 414);
    assert_eq!(server.get("/").status, 200, "the server still answers");
}

#[test]
fn serve_refuses_to_start_without_an_index() {
    let site = Site::real_catalogue();
    let output = site.folio(&["serve", "--port", "0"]);
    assert_eq!(output.status.code(), Some(3), "no site built");
    assert!(String::from_utf8_lossy(&output.stderr).contains("folio build"));

    let site = built_catalogue();
    std::fs::remove_file(site.out().join("search/meta.json")).unwrap();
    let output = site.folio(&["serve", "--port", "0"]);
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("search index"), "{stderr}");

    let site = built_catalogue();
    let search = site.out().join("search");
    let segment = std::fs::read_dir(&search)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "store"))
        .expect("a segment file");
    let mut bytes = std::fs::read(&segment).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&segment, bytes).unwrap();
    let output = site.folio(&["serve", "--port", "0"]);
    assert_eq!(output.status.code(), Some(3), "a corrupt index");
    assert!(String::from_utf8_lossy(&output.stderr).contains("corrupt"));
}

#[test]
fn search_from_the_terminal() {
    let site = built_catalogue();
    let output = site.folio(&["search", "Kyoto"]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("International Convention on the Simplification"), "{text}");
    assert!(text.contains("[Kyoto]"), "matches in brackets: {text}");

    let output = site.folio(&["search", "--json", "--type", "protocol", "Kyoto"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(json["hits"].as_array().unwrap().iter().all(|h| h["type"] == "protocol"));
    assert_eq!(json["hits"][0]["id"], "revised-kyoto-protocol-1999");

    let output = site.folio(&["search", "--json", "--in-force-on", "1980", "Kyoto"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let found = ids(&json);
    assert!(found.contains(&"kyoto-convention-1973".to_owned()), "{found:?}");
    assert!(!found.contains(&"revised-kyoto-protocol-1999".to_owned()), "{found:?}");
}

/// An event stream: reads `/__folio/reload` as it comes.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn open(server: &Server) -> Self {
        let mut stream = server.connect();
        stream.write_all(b"GET /__folio/reload HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        let mut events = Self { reader: BufReader::new(stream) };
        events.next_event("hello");
        events
    }

    /// Read lines until `event: <name>`; the data line follows.
    fn next_event(&mut self, name: &str) -> String {
        let wanted = format!("event: {name}");
        let started = Instant::now();
        let mut line = String::new();
        loop {
            assert!(started.elapsed() < PATIENCE, "no `{name}` event");
            line.clear();
            let read = self.reader.read_line(&mut line).expect("the stream stays open");
            assert!(read > 0, "the stream ended before `{name}`");
            if line.trim_end() == wanted {
                line.clear();
                self.reader.read_line(&mut line).unwrap();
                return line.trim_end().trim_start_matches("data:").trim().to_owned();
            }
        }
    }
}

const KYOTO: &str = "content/instruments/convention/kyoto-convention-1973.md";
const KYOTO_PAGE: &str = "/instruments/kyoto-convention-1973/";

#[test]
fn watch_rebuilds_on_an_editor_save_and_reloads() {
    let site = Site::real_catalogue();
    let server = Server::start(&site, &["--watch"]);
    let status = server.json("/__folio/status");
    assert_eq!(status["ok"], true, "the first build: {status}");
    let page = server.get(KYOTO_PAGE).text();
    assert!(page.contains("src=\"/__folio/reload.js\""), "the reload script is added");
    assert!(server.get("/__folio/reload.js").text().contains("EventSource"));
    let mut events = Events::open(&server);

    // Save as vim does: a test file, the original renamed to a backup, a
    // new file, a swap file.
    let path = site.root.join(KYOTO);
    let dir = path.parent().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(dir.join("4913"), "").unwrap();
    std::fs::remove_file(dir.join("4913")).unwrap();
    std::fs::rename(&path, dir.join("kyoto-convention-1973.md~")).unwrap();
    std::fs::write(&path, format!("{text}\nA sentence about zebracorns.\n")).unwrap();
    std::fs::write(dir.join(".kyoto-convention-1973.md.swp"), "swap").unwrap();

    let generation = events.next_event("reload");
    assert_eq!(generation, "2", "one build for one save");
    assert!(server.get(KYOTO_PAGE).text().contains("zebracorns"));
    // The index follows with the list pages.
    events.next_event("rewritten");
    let found = server.json("/api/search?q=zebracorns");
    assert_eq!(ids(&found), ["kyoto-convention-1973"], "the index is opened again");

    // Files editors leave behind start no build.
    for name in [".#kyoto.md", "kyoto.md~", "kyoto.md___jb_tmp___", "kyoto.md0HlVyu.bck"] {
        std::fs::write(dir.join(name), "not content").unwrap();
    }
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(server.json("/__folio/status")["generation"], 2);
}

#[test]
fn watch_rewrites_only_the_pages_an_edit_affects() {
    let site = Site::real_catalogue();
    let server = Server::start(&site, &["--watch"]);
    // The 1999 Protocol amends the 1973 Convention; the glossary has no
    // relation or link to it.
    let related = "/instruments/revised-kyoto-protocol-1999/";
    let listing = "/types/convention/";
    let unrelated = "instruments/glossary-international-customs-terms/index.html";
    for path in [KYOTO_PAGE, related, listing] {
        assert!(server.get(path).text().contains("Kyoto Convention (1973)"), "{path}");
    }
    assert!(!site.read_out(unrelated).contains("kyoto-convention-1973"));
    let untouched = std::fs::metadata(site.out().join(unrelated)).unwrap().modified().unwrap();
    let mut events = Events::open(&server);

    let path = site.root.join(KYOTO);
    let text = std::fs::read_to_string(&path).unwrap();
    let renamed =
        text.replace("\"Kyoto Convention (1973)\"", "\"Kyoto Zebracorn Convention (1973)\"");
    assert_ne!(text, renamed);
    std::fs::write(&path, renamed).unwrap();

    // The instrument's pages first, then the list pages it is on.
    events.next_event("reload");
    for path in [KYOTO_PAGE, related] {
        let page = server.get(path).text();
        assert!(page.contains("Kyoto Zebracorn Convention (1973)"), "{path} shows the new title");
    }
    let rewritten = events.next_event("rewritten");
    assert!(rewritten.split(' ').any(|path| path == listing), "{rewritten}");
    assert!(server.get(listing).text().contains("Kyoto Zebracorn Convention (1973)"));
    assert!(server.json("/catalogue.json").to_string().contains("Kyoto Zebracorn Convention"));
    let found = server.json("/api/search?q=zebracorn");
    assert!(ids(&found).contains(&"kyoto-convention-1973".to_owned()), "{found}");
    let after = std::fs::metadata(site.out().join(unrelated)).unwrap().modified().unwrap();
    assert_eq!(untouched, after, "a page the edit does not affect is not written again");
}

#[test]
fn watch_shows_errors_and_keeps_the_last_good_site() {
    let site = Site::real_catalogue();
    let server = Server::start(&site, &["--watch"]);
    let before = server.get(KYOTO_PAGE).text();
    let mut events = Events::open(&server);

    let path = site.root.join(KYOTO);
    let good = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, good.replace("type: convention", "type: conventoin")).unwrap();
    events.next_event("failed");
    let status = server.json("/__folio/status");
    assert_eq!(status["ok"], false);
    let diagnostics = status["diagnostics"].as_str().unwrap();
    assert!(diagnostics.contains("kyoto-convention-1973.md:5:7"), "{diagnostics}");
    assert!(diagnostics.contains("did you mean `convention`"), "{diagnostics}");
    let during = server.get(KYOTO_PAGE);
    assert_eq!(during.status, 200, "the last good page is still served");
    assert!(during.text().contains("International Convention on the Simplification"));

    // A new empty file: an error message, and the server stays up.
    site.write("content/instruments/convention/new.md", "");
    wait_for("the empty file's diagnostic", || {
        let status = server.json("/__folio/status");
        status["diagnostics"].as_str().unwrap().contains("new.md")
    });
    assert_eq!(server.get("/").status, 200);

    // Fixed: the site builds again and pages reload.
    std::fs::remove_file(site.root.join("content/instruments/convention/new.md")).unwrap();
    std::fs::write(&path, &good).unwrap();
    events.next_event("reload");
    assert_eq!(server.json("/__folio/status")["ok"], true);
    assert_eq!(server.get(KYOTO_PAGE).status, 200);
    assert!(before.contains("International Convention"));
}
