"""The data layer (数据): canonical tables, importers, the store, the simulator and export writers."""
