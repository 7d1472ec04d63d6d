"""Orders: MWS XML to lowerCamelCase JSON (``convert``), the trigger's cursor as pure functions
(``state``), and the windowed, page-by-page walk over ListOrders (``sync``)."""
