//! Black-box tests of the whole API over HTTP.
