//! cues
