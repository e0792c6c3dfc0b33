"""Parcel trackers (物流轨迹服务): what a tracker pushes, read as tracking events for `shipment_events`."""
