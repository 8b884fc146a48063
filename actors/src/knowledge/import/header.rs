//! Finds the header row and which columns hold what, by name, in any case
//! and with some latitude ("Question", "FAQ", "Customer question", "Q").

use crate::packs::normalize_term;

/// Rows looked at for a header, so a title row or two above it is fine.
pub const HEADER_SCAN_ROWS: usize = 10;

/// The columns an import reads, by position in the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    /// The question column.
    pub question: usize,
    /// The answer column.
    pub answer: usize,
    /// The category column, if any.
    pub category: Option<usize>,
    /// The keywords column, if any.
    pub keywords: Option<usize>,
}

/// What a column can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Question,
    Answer,
    Category,
    Keywords,
}

/// Header names taken as-is (after folding), per role.
const EXACT: [(Role, &[&str]); 4] = [
    (
        Role::Question,
        &[
            "question",
            "questions",
            "q",
            "faq",
            "faqs",
            "customer question",
        ],
    ),
    (
        Role::Answer,
        &[
            "answer",
            "answers",
            "a",
            "response",
            "responses",
            "reply",
            "agent response",
        ],
    ),
    (
        Role::Category,
        &[
            "category",
            "categories",
            "topic",
            "topics",
            "type",
            "section",
            "group",
        ],
    ),
    (
        Role::Keywords,
        &[
            "keywords",
            "keyword",
            "key words",
            "tags",
            "tag",
            "search terms",
        ],
    ),
];

/// Words that mark a header for a role when no exact name matched
/// ("Question text", "Approved answer", "FAQ category").
const CONTAINS: [(Role, &[&str]); 4] = [
    (Role::Question, &["question", "faq"]),
    (Role::Answer, &["answer", "response"]),
    (Role::Category, &["category", "topic"]),
    (Role::Keywords, &["keyword", "keywords", "tags"]),
];

/// The columns of a header row, if it has both a question and an answer
/// column. Exact names win over partial ones; a column serves one role.
pub fn find_columns(cells: &[String]) -> Option<Columns> {
    let folded: Vec<String> = cells.iter().map(|c| normalize_term(c)).collect();
    let mut roles: Vec<Option<Role>> = vec![None; folded.len()];
    for (role, names) in EXACT {
        if let Some(at) =
            (0..folded.len()).find(|&i| roles[i].is_none() && names.contains(&folded[i].as_str()))
        {
            roles[at] = Some(role);
        }
    }
    for (role, words) in CONTAINS {
        if roles.contains(&Some(role)) {
            continue;
        }
        let found = (0..folded.len())
            .find(|&i| roles[i].is_none() && folded[i].split(' ').any(|w| words.contains(&w)));
        if let Some(at) = found {
            roles[at] = Some(role);
        }
    }
    let column = |role: Role| roles.iter().position(|r| *r == Some(role));
    Some(Columns {
        question: column(Role::Question)?,
        answer: column(Role::Answer)?,
        category: column(Role::Category),
        keywords: column(Role::Keywords),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    #[test]
    fn finds_columns_by_flexible_names() {
        let columns = find_columns(&row(&["\u{feff}Q", "A", "Topic", "Tags"]));
        assert_eq!(
            columns,
            Some(Columns {
                question: 0,
                answer: 1,
                category: Some(2),
                keywords: Some(3)
            })
        );
        let columns = find_columns(&row(&["Notes", "Response", "FAQ", "Key Words"]));
        assert_eq!(
            columns,
            Some(Columns {
                question: 2,
                answer: 1,
                category: None,
                keywords: Some(3)
            })
        );
        let columns = find_columns(&row(&[
            "Question type",
            "Customer Question",
            "Approved answer",
        ]));
        assert_eq!(
            columns,
            Some(Columns {
                question: 1,
                answer: 2,
                category: None,
                keywords: None
            })
        );
    }

    #[test]
    fn needs_both_question_and_answer() {
        assert_eq!(find_columns(&row(&["Question", "Category"])), None);
        assert_eq!(find_columns(&row(&["Answer"])), None);
        assert_eq!(find_columns(&row(&[])), None);
    }
}
