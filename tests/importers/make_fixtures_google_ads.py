"""Writes the Google Ads fixtures (run once; the files are checked in).

Kept as code because two of them are binary-ish (UTF-16LE with BOM, and an .xlsx renamed .csv).
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent / "fixtures"

EN = [
    "Campaign report",
    "September 1, 2026 - September 2, 2026",
    "Day\tCampaign\tCampaign ID\tCurrency code\tCost\tImpr.\tClicks\tCTR\tConversions\tConv. value",
    '2026-09-01\tBrand FR\t111\tEUR\t41.20\t"1,204"\t37\t3.07%\t2.50\t250.00',
    '2026-09-01\tTotal Store - Shopping\t222\tEUR\t"1,020.50"\t"10,400"\t310\t2.98%\t12.00\t"1,840.00"',
    '2026-09-02\tBrand FR\t111\tEUR\t39.80\t"1,150"\t35\t3.04%\t --\t --',
    'Total: Campaigns\t --\t --\t --\t"1,101.50"\t"12,754"\t382\t3.00%\t14.50\t"2,090.00"',
    'Total: Account\t --\t --\t --\t"1,101.50"\t"12,754"\t382\t3.00%\t14.50\t"2,090.00"',
]

# French UI, comma-separated UTF-8 ".csv" flavour: decimal commas, NBSP / narrow NBSP thousands
FR = [
    "Rapport sur les campagnes",
    "1 sept. 2026 - 2 sept. 2026",
    "Jour,Campagne,Code de la devise,Coût,Impr.,Clics,Conversions,Valeur de conv.",
    '2026-09-01,Marque FR,EUR,"41,20","1\u00a0204",37,"2,50","250,00"',
    '2026-09-01,Total Store - Shopping,EUR,"1\u202f020,50","10\u202f400",310,"12,00","1\u00a0840,00"',
    '2026-09-02,Marque FR,EUR,"39,80","1\u00a0150",35,--,--',
    'Total : compte,--,--,"1\u202f101,50","12\u202f754",382,"14,50","2\u00a0090,00"',
]

# German UI, semicolon (Excel re-save), dots for thousands, comma decimals, device segment
DE = [
    "Kampagnenbericht",
    "1. September 2026 - 1. September 2026",
    "Tag;Kampagne;Gerät;Währungscode;Kosten;Impr.;Klicks",
    "2026-09-01;Marke DE;Computer;EUR;1.234,56;12.345;310",
    "2026-09-01;Marke DE;Mobiltelefone;EUR;100,44;1.655;90",
    "Gesamt: Konto;--;--;--;1.335,00;14.000;400",
]


def main() -> None:
    HERE.mkdir(exist_ok=True)
    (HERE / "google_ads_en_excel.csv").write_bytes(
        b"\xff\xfe" + ("\r\n".join(EN) + "\r\n").encode("utf-16-le")
    )
    (HERE / "google_ads_fr.csv").write_bytes(("\n".join(FR) + "\n").encode("utf-8"))
    (HERE / "google_ads_de.csv").write_bytes(("\r\n".join(DE) + "\r\n").encode("cp1252"))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Campaign report"])
    sheet.append(["September 1, 2026 - September 1, 2026"])
    sheet.append(["Day", "Campaign", "Currency code", "Cost", "Impr.", "Clicks"])
    import datetime as dt

    sheet.append([dt.datetime(2026, 9, 1), "Brand FR", "USD", 41.2, 1204, 37])
    sheet.append(["Total: Account", "--", "--", 41.2, 1204, 37])
    buffer = io.BytesIO()
    book.save(buffer)
    # an .xlsx that a user renamed .csv
    (HERE / "google_ads_renamed_xlsx.csv").write_bytes(buffer.getvalue())


if __name__ == "__main__":
    main()
