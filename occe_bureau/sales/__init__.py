"""Ventes: the catalogue (agendas coopératifs, books, kits), stock as movements, orders and who
pays them, payments, invoices and credit notes in unbroken series, Factur-X for public payers,
and the year's figures."""
