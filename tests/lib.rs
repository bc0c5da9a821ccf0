//! Test support lives in the test binary; this library is empty.
