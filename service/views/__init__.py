"""Data functions shared by the JSON API and the web pages (the template renders the dict the
API returns): catalogue lists, the board, alerts, an indicator's series, an agency's
portfolio."""
