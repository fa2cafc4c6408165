"""Writes notify-address-vectors.csv: random letter addresses and what GOV.UK Notify's own code
says of them, for NotifyLetterAddressTests to compare against without Python.

Run with alphagov/notifications-utils importable (Python 3.12+, or 3.11 with its PEP 695 type
parameters removed), from this folder:  python3 make-notify-vectors.py
"""
import csv
import random

from notifications_utils.recipient_validation.postal_address import PostalAddress

random.seed(20261205)
names = ["Jane Smith", "Mr A. N. Example", "Zoë Ôbrien", "", " ", "(Jane)", "=Jane", "-Jane", "+Jane", "@jane",
         "O'Neil, Pat", "Jane  Smith ,", "NFA", "...", "Ms\u00a0Roe", "Ed\u200bward Lee", "~Tilde", "Dr. Who ."]
lines = ["12 Example Street", "Flat 2", "Flat 2, 12 Example Street", "Testbed Avenue", "Exampleton", "Leeds",
         "West Yorkshire", "", " ", ",", "no fixed abode", "No Fixed Address here", "nfa", "NFA NFA2024", "[x]",
         "\\back", "/slash", "<lt", ">gt", "\"quoted\"", "1 High St ,", "Flat 1\n2 Low Road", "  spaced   out  ",
         "-4 Minus Road", "+44 Plus Road", "café", "\u202fnarrow", "BFPO 1234", "England", "United Kingdom",
         "Wales", "France", "…", "Line\u00a0with\u00a0nbsp", "end, .", "SW1A 1AA"]
postcodes = ["LS1 4AP", "ls14ap", "SW1A 1AA", "SE1 63EF", "N5 1AA", "BF1 3AA", "GIR0AA", "NF1 1AA", "LS1 4CA",
             "SO144 6WB", "", "E1 6AN", " EC1A 1BB ", "so14\u00a06wb", "GX111AA", "BT1 1AA", "ZE1 0AA", "XX1 1XX",
             "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "W1A 0AX", "EC1A1BB", "AB1", "12345"]
with open("notify-address-vectors.csv", "w", newline="", encoding="utf-8") as out:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["recipient", "address_lines", "postcode", "notify_valid", "notify_lines"])
    for _ in range(1200):
        recipient = random.choice(names)
        address = [random.choice(lines) for _ in range(random.choice([0, 1, 1, 2, 2, 3, 4, 5]))]
        postcode = random.choice(postcodes)
        raw = "\n".join([recipient] + address + [postcode])
        address_obj = PostalAddress(raw)
        writer.writerow([recipient, "\n".join(address), postcode, "yes" if address_obj.valid else "no",
                         "\n".join(address_obj.normalised_lines) if address_obj.valid else ""])
