"""The stock guard's rules (库存防超卖): the ledger's model, bundles, listings. Pure."""
