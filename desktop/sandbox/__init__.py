"""An agency sandbox: a real HTTP server playing the insurance agency's side of the interface."""
