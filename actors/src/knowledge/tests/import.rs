//! Importing knowledge from CSV and .xlsx files.

use crate::knowledge::{
    import_csv, import_xlsx, KbImportError, KbSource, KnowledgeBase, SkippedRow,
};

const CSV_FIXTURE: &[u8] = include_bytes!("../../../../fixtures/kb/knowledge.csv");
const XLSX_FIXTURE: &[u8] = include_bytes!("../../../../fixtures/kb/knowledge.xlsx");

fn skipped(rows: &[(usize, &str)]) -> Vec<SkippedRow> {
    rows.iter()
        .map(|(row, reason)| SkippedRow {
            row: *row,
            reason: (*reason).to_owned(),
        })
        .collect()
}

#[test]
fn csv_fixture_imports_with_a_skipped_row_report() {
    let report = import_csv(CSV_FIXTURE).unwrap();
    let questions: Vec<&str> = report.entries.iter().map(|e| e.question.as_str()).collect();
    assert_eq!(
        questions,
        [
            "Do you offer ceramic coating?",
            "What are your hours?",
            "What is your cancellation policy?",
            "Is there a military discount?",
            "Do you do \"headlight restoration\"?",
            "Do you sell gift cards?",
        ]
    );
    assert_eq!(
        report.skipped,
        skipped(&[
            (3, "duplicate question; row 9 asks it again and replaces it"),
            (5, "question is blank"),
            (6, "answer is blank"),
            (13, "answer is blank"),
        ])
    );
    let ceramic = &report.entries[0];
    assert_eq!(
        ceramic.answer,
        "Yes, we offer 2-year and 5-year ceramic coatings, applied after a paint correction."
    );
    assert_eq!(ceramic.keywords, ["ceramic", "coating", "protection"]);
    assert_eq!(ceramic.category, "services");
    assert_eq!(ceramic.source, KbSource::Tenant);
    assert!(
        report.entries[1].answer.contains("7am to 7pm"),
        "the later duplicate wins"
    );
    assert_eq!(report.entries[2].category, "cancellation");
    assert!(report.entries[4].answer.contains("\"huge\""));
    assert_eq!(
        report.entries[5].answer,
        "Yes.\r\nAsk us for one in any amount, and we'll text it to you."
    );
}

#[test]
fn xlsx_fixture_imports_from_the_knowledge_sheet() {
    let report = import_xlsx(XLSX_FIXTURE).unwrap();
    let questions: Vec<&str> = report.entries.iter().map(|e| e.question.as_str()).collect();
    assert_eq!(
        questions,
        [
            "Do you need my water or electricity?",
            "How long does a full detail take?",
            "How many years does ceramic coating last?",
            "Do you take Apple Pay?",
        ]
    );
    assert_eq!(
        report.skipped,
        skipped(&[
            (4, "duplicate question; row 9 asks it again and replaces it"),
            (6, "question is blank"),
            (7, "answer is blank"),
        ])
    );
    assert!(report.entries[0].answer.contains("generator"));
    assert_eq!(report.entries[0].keywords, ["water", "power"]);
    assert_eq!(report.entries[0].category, "requirements");
    assert_eq!(report.entries[2].answer, "5");
    assert_eq!(report.entries[3].category, "general");
    assert!(report.entries[3].keywords == ["apple pay"]);
}

#[test]
fn imported_entries_override_the_pack_and_are_found() {
    let report = import_xlsx(XLSX_FIXTURE).unwrap();
    let detailing = crate::packs::pack("mobile-detailing").unwrap();
    let kb = KnowledgeBase::layered(
        crate::knowledge::global_entries(),
        detailing,
        report.entries,
    );
    let best = kb.best_answer("do u need my water and power").unwrap();
    assert_eq!(best.source, KbSource::Tenant);
    assert!(best.answer.contains("generator"));
    let apple = kb.best_answer("can I pay with apple pay").unwrap();
    assert_eq!(apple.question, "Do you take Apple Pay?");
}

#[test]
fn missing_question_or_answer_columns_name_the_headers_found() {
    let error = import_csv(b"Title,Body,Tags\nDo you mow?,Yes,mow\n").unwrap_err();
    assert_eq!(
        error,
        KbImportError::MissingColumns {
            found: vec!["Title".into(), "Body".into(), "Tags".into()]
        }
    );
    let message = error.to_string();
    assert!(
        message.contains("headers found: Title, Body, Tags"),
        "{message}"
    );
    assert!(message.contains("question") && message.contains("answer"));

    let error = import_csv("\u{feff}Question,Category\nx,y\n".as_bytes()).unwrap_err();
    assert_eq!(
        error,
        KbImportError::MissingColumns {
            found: vec!["Question".into(), "Category".into()]
        }
    );
}

#[test]
fn empty_and_blank_files_are_errors() {
    assert_eq!(import_csv(b""), Err(KbImportError::Empty));
    assert_eq!(import_csv(b"\r\n ,  ,\n\n"), Err(KbImportError::Empty));
    let report = import_csv(b"Question,Answer\n").unwrap();
    assert!(report.entries.is_empty() && report.skipped.is_empty());
}

#[test]
fn flexible_headers_and_separators() {
    let report =
        import_csv(b"FAQ;Response;Type;Keywords\nDo you mow?;Yes, weekly;Services;mow, grass\n")
            .unwrap();
    assert_eq!(report.entries.len(), 1);
    assert_eq!(report.entries[0].answer, "Yes, weekly");
    assert_eq!(report.entries[0].keywords, ["mow", "grass"]);
    let report = import_csv(b"q\ta\nHi?\tHello\n").unwrap();
    assert_eq!(report.entries[0].question, "Hi?");
    let report =
        import_csv(b"My FAQ export\n\nCustomer question,Approved answer\nOpen Sundays?,No\n")
            .unwrap();
    assert_eq!(report.entries[0].question, "Open Sundays?");
}

#[test]
fn files_that_are_not_spreadsheets_are_errors() {
    assert!(matches!(
        import_xlsx(CSV_FIXTURE),
        Err(KbImportError::NotXlsx { .. })
    ));
    assert!(matches!(
        import_xlsx(b""),
        Err(KbImportError::NotXlsx { .. })
    ));
    assert!(matches!(
        import_xlsx(b"PK\x03\x04garbage"),
        Err(KbImportError::NotXlsx { .. })
    ));
    assert!(matches!(
        import_csv(XLSX_FIXTURE),
        Err(KbImportError::NotCsv { .. })
    ));
    assert!(matches!(
        import_csv(b"\x00\x01\x02binary"),
        Err(KbImportError::NotCsv { .. })
    ));
    assert_eq!(
        import_csv(b"question,answer\nok,fine\ncaf\xe9,oui\n"),
        Err(KbImportError::NotUtf8 { line: 3 })
    );
}

#[test]
fn damaged_workbooks_never_panic() {
    let mut bytes = XLSX_FIXTURE.to_vec();
    for step in [1usize, 7, 13, 101, 499] {
        for i in (0..bytes.len()).step_by(step) {
            let saved = bytes[i];
            bytes[i] = saved.wrapping_add(0x5a);
            let _ = import_xlsx(&bytes);
            bytes[i] = saved;
        }
    }
    for len in (0..XLSX_FIXTURE.len()).step_by(97) {
        let _ = import_xlsx(&XLSX_FIXTURE[..len]);
    }
}
