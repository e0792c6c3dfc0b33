"""Automation is data (自动化即数据): rules turn (state, now) into actions; `dachu.ops` carries them out.

`actions` holds what a rule can ask for (`SendMessage`); `remind` the payment-reminder rules (催付);
`notices` the customer and logistics notices. Nothing here sends, reads a file or the clock: the time is a
parameter, so a dry run and an explanation are the same call as the real thing.
"""
