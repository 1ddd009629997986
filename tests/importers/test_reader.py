"""The shared reader: encodings, delimiters, header by content, totals by label, workbooks."""

from __future__ import annotations

import pytest

from pilotage.importers.aliases import Aliases, normalize, repair_mojibake
from pilotage.importers.problems import Rejected
from pilotage.importers.reader import dedupe, locate, read_grid, sniff_delimiter

KNOWN = Aliases({"campaign": ("Campaign", "Campagne"), "cost": ("Cost", "Coût"), "day": ("Day",)})


def test_byte_order_marks_and_fallbacks():
    text = "Campagne;Coût\nÉté;1,50\n"
    assert read_grid(b"\xff\xfe" + text.encode("utf-16-le"), "f").encoding == "utf-16-le"
    assert read_grid(b"\xef\xbb\xbf" + text.encode(), "f").encoding == "utf-8-sig"
    assert read_grid(text.encode(), "f").encoding == "utf-8"
    grid = read_grid(text.encode("cp1252"), "f")
    assert grid.encoding == "cp1252"
    assert grid.rows[1][0] == "Été"


def test_delimiters_are_sniffed_outside_quotes():
    assert sniff_delimiter('a,b,c\n"1;2",3,4\n') == ","
    assert sniff_delimiter("a;b;c\n1,5;2,5;3\n") == ";"
    assert sniff_delimiter("a\tb\tc\n1,234\t2\t3\n") == "\t"


def test_zero_width_characters_and_bom_are_stripped_from_cells():
    grid = read_grid("Campaign,Cost\nSpring\u200b sale,1\n".encode(), "f")
    assert grid.rows[1][0] == "Spring sale"


def test_header_found_by_content_after_a_preamble():
    text = "# Report\n# Start date: 20250301\nTitle line\nDay,Campaign,Cost\n2025-03-01,A,1\n"
    table = locate(read_grid(text.encode(), "f"), KNOWN.known)
    assert table.header == ["Day", "Campaign", "Cost"]
    assert table.header_line == 4
    assert table.preamble_text()[1] == "# Start date: 20250301"
    assert table.lines == [5]


def test_totals_dropped_by_the_label_column_only():
    text = (
        "Campaign,Cost\n"
        "Total Store - Shopping,5\n"
        "Spring,2\n"
        "Total: Account,7\n"
        "Grand Totals (2 records),7\n"
        "Total : compte,7\n"
        "Total général,7\n"
    )
    table = locate(read_grid(text.encode(), "f"), KNOWN.known)
    assert [r[0] for r in table.rows] == ["Total Store - Shopping", "Spring"]
    assert [line for line, _ in table.dropped] == [4, 5, 6, 7]


def test_salesforce_style_footer_after_a_blank_line():
    text = (
        '"Campaign","Cost"\n"A","1"\n"B","2"\n""\n"Grand Totals (2 records)"\n""\n'
        '"Confidential Information - Do Not Distribute"\n'
        '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\n'
    )
    table = locate(read_grid(text.encode(), "f"), KNOWN.known, stop_at_blank=True)
    assert [r[0] for r in table.rows] == ["A", "B"]


def test_a_file_without_a_known_header_is_refused():
    with pytest.raises(Rejected) as caught:
        locate(read_grid(b"x,y\n1,2\n", "f"), KNOWN.known)
    assert caught.value.problems[0].code == "no_header"


def test_empty_and_binary_inputs_are_refused_cleanly():
    for data in (b"", b"\xef\xbb\xbf", b"  \r\n"):
        with pytest.raises(Rejected):
            read_grid(data, "f")
    with pytest.raises(Rejected) as caught:
        read_grid(b"PK\x03\x04 not really a workbook", "f.xlsx")
    assert caught.value.problems[0].code == "bad_xlsx"


def test_duplicate_headers_are_read_by_position():
    assert dedupe(["A", "B", "A", "A"]) == ["A", "B", "A__2", "A__3"]


def test_records_spanning_lines_keep_their_starting_line():
    text = 'Campaign,Cost\n"Multi\nline",1\nNext,2\n'
    table = locate(read_grid(text.encode(), "f"), KNOWN.known)
    assert table.lines == [2, 4]


def test_header_normalisation_and_mojibake():
    assert normalize("Coût") == normalize("COUT") == "cout"
    assert normalize("Amount spent (EUR)") == "amount spent"
    assert normalize("Cost") != normalize("Avg. cost") != normalize("Cost / conv.")
    assert repair_mojibake("Montant dÃ©pensÃ©") == "Montant dépensé"
    assert normalize("Montant dÃ©pensÃ© (EUR)") == normalize("Montant dépensé (EUR)")
