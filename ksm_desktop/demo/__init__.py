"""The demo portfolio: KSM's real programmes from the seed document, with fictitious members,
loaded through the services like any user's data (`ksm-desktop demo`, the first-start welcome)."""
