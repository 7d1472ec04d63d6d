"""Finances: ListFinancialEvents pages to per-order messages (``events``), the trigger's cursor as
pure functions (``state``), and the windowed, page-by-page walk (``sync``)."""
