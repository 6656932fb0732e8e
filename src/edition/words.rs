//! The fixed words of the edition (headings of the front matter and annexes,
//! metadata labels, the cross-reference form) in English and Russian. Any
//! other language gets the English words.

/// The words of one language.
#[derive(Debug, Clone, Copy)]
pub struct Words {
    /// The heading of the table of contents.
    pub contents: &'static str,
    /// The word before a part's number.
    pub part: &'static str,
    /// The heading of the imprint.
    pub imprint: &'static str,
    /// "Edition", before its number.
    pub edition: &'static str,
    /// "Published by".
    pub publisher: &'static str,
    /// "ISBN".
    pub isbn: &'static str,
    /// "Current to", before a date.
    pub current_to: &'static str,
    /// "Catalogue revision", before a commit.
    pub revision: &'static str,
    /// "Typeset", before the edition's date.
    pub typeset: &'static str,
    /// The heading of the annexes (not "Annexes", which some catalogues
    /// use as a type of instrument).
    pub annexes: &'static str,
    /// The chronological table.
    pub chronology: &'static str,
    /// The index by subject.
    pub subject_index: &'static str,
    /// The index of titles and short titles.
    pub title_index: &'static str,
    /// "see", before an entry number.
    pub see: &'static str,
    /// "p.", before a page number.
    pub page: &'static str,
    /// The column of entry numbers.
    pub number: &'static str,
    /// Metadata labels.
    pub title: &'static str,
    /// "Short title".
    pub short_title: &'static str,
    /// "Type".
    pub kind: &'static str,
    /// "Adopted by".
    pub body: &'static str,
    /// "Subjects".
    pub subjects: &'static str,
    /// "Status".
    pub status: &'static str,
    /// "Adopted".
    pub adopted: &'static str,
    /// "Place".
    pub place: &'static str,
    /// "In force".
    pub in_force: &'static str,
    /// "Parties".
    pub parties: &'static str,
    /// "as of", after a count of parties.
    pub as_of: &'static str,
    /// "Official page".
    pub source: &'static str,
    /// "Identifier".
    pub id: &'static str,
    /// What an undated entry shows in the chronological table.
    pub undated: &'static str,
    /// The heading of the chapter of changes.
    pub changes: &'static str,
    /// Before the revision the changes are counted from.
    pub compared_revision: &'static str,
    /// Before the file the changes are counted from.
    pub compared_file: &'static str,
    /// The instruments added.
    pub added: &'static str,
    /// The instruments removed.
    pub removed: &'static str,
    /// The instruments changed.
    pub changed: &'static str,
    /// When nothing changed.
    pub unchanged: &'static str,
    /// Field labels of the changes only.
    pub category: &'static str,
    /// "Relations".
    pub relations: &'static str,
    /// "Text".
    pub text: &'static str,
    /// What a changed text shows.
    pub revised: &'static str,
    /// "Reviewed".
    pub reviewed: &'static str,
    /// "Translation", before a language.
    pub translation: &'static str,
    /// An absent value.
    pub absent: &'static str,
}

const ENGLISH: Words = Words {
    contents: "Contents",
    part: "Part",
    imprint: "Imprint",
    edition: "Edition",
    publisher: "Published by",
    isbn: "ISBN",
    current_to: "Current to",
    revision: "Catalogue revision",
    typeset: "Typeset",
    annexes: "Tables and indexes",
    chronology: "Chronological table",
    subject_index: "Index by subject",
    title_index: "Index of titles and short titles",
    see: "see",
    page: "p.",
    number: "No.",
    title: "Title",
    short_title: "Short title",
    kind: "Type",
    body: "Adopted by",
    subjects: "Subjects",
    status: "Status",
    adopted: "Adopted",
    place: "Place",
    in_force: "In force",
    parties: "Parties",
    as_of: "as of",
    source: "Official page",
    id: "Identifier",
    undated: "undated",
    changes: "Changes since the previous edition",
    compared_revision: "Compared with revision",
    compared_file: "Compared with",
    added: "Added",
    removed: "Removed",
    changed: "Changed",
    unchanged: "No instrument was added, removed or changed.",
    category: "Category",
    relations: "Relations",
    text: "Text",
    revised: "revised",
    reviewed: "Reviewed",
    translation: "Translation",
    absent: "none",
};

const RUSSIAN: Words = Words {
    contents: "Содержание",
    part: "Часть",
    imprint: "Выходные данные",
    edition: "Издание",
    publisher: "Издатель",
    isbn: "ISBN",
    current_to: "По состоянию на",
    revision: "Редакция каталога",
    typeset: "Дата вёрстки",
    annexes: "Таблицы и указатели",
    chronology: "Хронологическая таблица",
    subject_index: "Тематический указатель",
    title_index: "Указатель названий и кратких названий",
    see: "см.",
    page: "с.",
    number: "№",
    title: "Название",
    short_title: "Краткое название",
    kind: "Вид",
    body: "Принят",
    subjects: "Тематика",
    status: "Статус",
    adopted: "Дата принятия",
    place: "Место",
    in_force: "Вступление в силу",
    parties: "Участники",
    as_of: "по состоянию на",
    source: "Официальная страница",
    id: "Идентификатор",
    undated: "без даты",
    changes: "Изменения со времени предыдущего издания",
    compared_revision: "Сравнение с редакцией",
    compared_file: "Сравнение с",
    added: "Добавлены",
    removed: "Исключены",
    changed: "Изменены",
    unchanged: "Ни один документ не добавлен, не исключён и не изменён.",
    category: "Категория",
    relations: "Связи",
    text: "Текст",
    revised: "изменён",
    reviewed: "Дата проверки",
    translation: "Перевод",
    absent: "нет",
};

impl Words {
    /// The words of `language`.
    pub fn of(language: &str) -> &'static Self {
        match language {
            "ru" => &RUSSIAN,
            _ => &ENGLISH,
        }
    }
}
