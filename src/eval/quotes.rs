//! quotes eval (filled below)
