//! `reciprocity chart`: SVG and PNG files that contain what they should.

mod common;

/// The embedded partner tariffs, whatever the machine has.
fn run(args: &[&str]) -> (i32, String, String) {
    common::run_env(args, &[("RECIPROCITY_SHARED_DATA", "/nonexistent")])
}

#[test]
fn svg_has_every_label_and_value() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gap.svg");
    let (code, stdout, err) = run(&["chart", "--out", out.to_str().unwrap(), "--top", "10"]);
    assert_eq!(code, 0, "{err}");
    assert!(stdout.starts_with("wrote "), "{stdout}");
    let raw = std::fs::read_to_string(&out).unwrap();
    assert!(raw.starts_with("<svg"));
    // plotters puts each text on its own line between the tags.
    let svg = raw.replace('\n', "");
    // Text is real text: partner labels (with US imports), formula values and partner tariffs.
    for s in [
        "European Union  $606bn",
        "China  $439bn",
        "Vietnam  $137bn",
        "Switzerland  $63bn",
        ">67<",
        ">34<",
        ">90<",
        ">45<",
        ">7.4<",
        ">15.2<",
        "no data",
        "What partners apply (percent)",
    ] {
        assert!(svg.contains(s), "{s} missing from the SVG");
    }
    // Top 10: the 11th partner (Malaysia) is not drawn.
    assert!(!svg.contains("Malaysia"));
}

#[test]
fn png_is_a_png_of_the_right_size() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gap.png");
    let (code, _, err) = run(&["chart", "--out", out.to_str().unwrap(), "--top", "5"]);
    assert_eq!(code, 0, "{err}");
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    assert_eq!(width, 1500);
    assert!(height > 300 && height < 700, "{height}");
    // Only the chart is left in the folder (the temporary file was renamed).
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// The check of the report's charts can fail: the chart is whole, and a canvas that ends too
/// early on any side (cutting the title, the row labels, the last axis label or the caption) is
/// caught on that side.
#[test]
fn a_label_cut_at_an_edge_is_detected() {
    use common::figures::{Image, FRAME};
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gap.png");
    let (code, _, err) = run(&["chart", "--out", out.to_str().unwrap(), "--top", "5"]);
    assert_eq!(code, 0, "{err}");
    let whole = Image::read(&out);
    assert_eq!(whole.ink_at_edges(FRAME), vec![]);
    let (w, h) = (whole.width, whole.height);
    for (side, cut) in [
        ("top", whole.crop(0, 20, w, h - 20)),
        ("left", whole.crop(40, 0, w - 40, h)),
        ("right", whole.crop(0, 0, w - 25, h)),
        ("bottom", whole.crop(0, 0, w, h - 22)),
    ] {
        let found = cut.ink_at_edges(FRAME);
        assert!(found.iter().any(|f| f.0 == side), "{side}: {found:?}");
    }
}

#[test]
fn bad_extension_and_bad_partner_folder_exit_2_without_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gap.jpg");
    let (code, _, err) = run(&["chart", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.trim_end()
            .ends_with("gap.jpg: expected an output file ending in .svg or .png, found .jpg"),
        "{err}"
    );

    let pt = dir.path().join("pt");
    std::fs::create_dir(&pt).unwrap();
    std::fs::write(
        pt.join("wits_bilateral_tariffs_us_2022.csv"),
        "iso3,country_name,indicator,year,value_pct\nCHN,China,X,2022,1\n",
    )
    .unwrap();
    let out = dir.path().join("gap.svg");
    let (code, _, err) = run(&[
        "chart",
        "--out",
        out.to_str().unwrap(),
        "--partner-tariffs",
        pt.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("wits_bilateral_tariffs_us_2022.csv:1: source: expected a column `source`"),
        "{err}"
    );
    assert!(!out.exists());
}
