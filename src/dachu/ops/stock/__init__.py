"""The stock guard's backends (库存账本): one `StockBackend` seam, SQLite (embedded) and Redis."""
