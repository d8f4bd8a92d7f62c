"""The value grammar both layers share: how a printed number, amount, percentage, date, term,
phone, e-mail, credit code, company or person name and address is parsed and compared.

Extractors use it to turn cell text into typed values; validators use it to compare values
read from different documents. It sits in ``models`` because neither layer may import the
other (the data flows one way: extractors → models → validators).
"""
