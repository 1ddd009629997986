"""The MMM's wide weekly CSV: numbers in either style, and errors that name line and column."""

import pytest

from pilotage.models.mmm import CsvInputError, read_weekly_csv


def write(tmp_path, rows, header="week;sales;tv;search", delimiter=";"):
    path = tmp_path / "weekly.csv"
    lines = [header.replace(";", delimiter)] + [delimiter.join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read(path):
    return read_weekly_csv(path, "week", "sales", ["tv", "search"])


def test_it_reads_a_french_export_with_decimal_commas_spaces_and_euro_signs(tmp_path):
    rows = [
        ("2024-01-01", "12 500,50", "1 234,56 €", "0"),
        ("2024-01-08", "13 001,00", "980,00 €", "250,5"),
    ]
    path = tmp_path / "weekly.csv"
    path.write_text(
        '"week","sales","tv","search"\n' + "\n".join(",".join(f'"{c}"' for c in r) for r in rows),
        encoding="utf-8",
    )
    table = read(path)
    assert table["y"].tolist() == [12500.5, 13001.0]
    assert table["spend"]["tv"].tolist() == [1234.56, 980.0]
    assert table["spend"]["search"].tolist() == [0.0, 250.5]


def test_it_reads_thousands_separators_when_a_decimal_point_shows_the_style(tmp_path):
    rows = [("2024-01-01", "12,500.25", "1,000", "20"), ("2024-01-08", "9,800", "$2,500", "5")]
    table = read(write(tmp_path, rows))
    assert table["y"].tolist() == [12500.25, 9800.0]
    assert table["spend"]["tv"].tolist() == [1000.0, 2500.0]


def test_a_number_that_could_be_read_two_ways_is_refused_not_guessed(tmp_path):
    rows = [("2024-01-01", "12500", "1,000", "20"), ("2024-01-08", "9800", "2,500", "5")]
    with pytest.raises(CsvInputError) as error:
        read(write(tmp_path, rows))
    assert "weekly.csv, line 2, column 'tv': '1,000' could be a thousands separator" in str(
        error.value
    )


def test_two_number_styles_in_one_file_are_refused(tmp_path):
    rows = [("2024-01-01", "12500.5", "10", "20"), ("2024-01-08", "9800,25", "25", "5")]
    with pytest.raises(CsvInputError, match="decimal point in some cells and a decimal comma"):
        read(write(tmp_path, rows))


def test_an_empty_cell_is_named(tmp_path):
    rows = [("2024-01-01", "12500", "10", "20"), ("2024-01-08", "9800", "", "5")]
    with pytest.raises(CsvInputError, match=r"line 3, column 'tv': empty; every week needs"):
        read(write(tmp_path, rows))


def test_a_missing_week_is_named_by_its_line(tmp_path):
    rows = [
        ("2024-01-01", "1", "1", "1"),
        ("2024-01-08", "1", "1", "1"),
        ("2024-01-22", "1", "1", "1"),
    ]
    with pytest.raises(CsvInputError) as error:
        read(write(tmp_path, rows))
    assert "line 4, column 'week': 2024-01-22 comes 14 days after 2024-01-08" in str(error.value)


def test_it_reads_an_excel_csv_with_semicolons_in_windows_1252(tmp_path):
    path = tmp_path / "hebdo.csv"
    text = (
        "semaine;ventes;télé;search\r\n2024-01-01;1 500,5;200;10\r\n2024-01-08;1 400;150,25;0\r\n"
    )
    path.write_bytes(text.encode("cp1252"))
    table = read_weekly_csv(path, "semaine", "ventes", ["télé", "search"])
    assert table["y"].tolist() == [1500.5, 1400.0]
    assert table["spend"]["télé"].tolist() == [200.0, 150.25]


def test_a_file_that_is_not_text_is_named(tmp_path):
    path = tmp_path / "weekly.csv"
    path.write_bytes(b"\x00\x01\x02\xff\xfe\x00" * 50)
    with pytest.raises(CsvInputError, match="weekly.csv: not a text file in a known encoding"):
        read(path)
