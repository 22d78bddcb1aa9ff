//! Accessible SVG charts and badges (being written).
