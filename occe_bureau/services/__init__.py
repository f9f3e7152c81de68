"""The rules, one module per domain. Each function takes the Database and returns plain data."""
