//! The one route table: the local server, the Lambda functions, the template check and
//! the tests all read it.

use http::Method;

use crate::operation::Operation;

pub struct Route {
    pub method: Method,
    /// Segments in braces match any one non-empty segment.
    pub path: &'static str,
    pub operation: Operation,
}

pub const ROUTES: [Route; 8] = [
    Route {
        method: Method::POST,
        path: "/user-invites",
        operation: Operation::SendUserInvites,
    },
    Route {
        method: Method::POST,
        path: "/user-invites/{id}/resend",
        operation: Operation::ResendUserInvite,
    },
    Route {
        method: Method::POST,
        path: "/user-invites/{id}/cancel",
        operation: Operation::CancelUserInvite,
    },
    Route {
        method: Method::POST,
        path: "/user-invites/accept",
        operation: Operation::AcceptUserInvite,
    },
    Route {
        method: Method::POST,
        path: "/user-invites/check-token",
        operation: Operation::CheckUserInviteToken,
    },
    Route {
        method: Method::PATCH,
        path: "/user-invites/{id}",
        operation: Operation::UpdateUserInvite,
    },
    Route {
        method: Method::GET,
        path: "/user-invites",
        operation: Operation::ListUserInvites,
    },
    Route {
        method: Method::GET,
        path: "/user-invites/{id}",
        operation: Operation::GetUserInvite,
    },
];

#[derive(Debug, PartialEq, Eq)]
pub enum Resolved<'a> {
    /// The operation, and the `{id}` segment when the route has one.
    Operation(Operation, Option<&'a str>),
    MethodNotAllowed(Vec<Method>),
    NotFound,
}

/// How well `pattern` matches `path`: `None` if it does not, else the number of
/// literal segments (a literal beats a parameter: `/user-invites/accept` is not an id).
fn matches<'a>(pattern: &str, path: &'a str) -> Option<(usize, Option<&'a str>)> {
    let mut literals = 0;
    let mut id = None;
    let mut pattern_segments = pattern.split('/');
    let mut path_segments = path.split('/');
    loop {
        match (pattern_segments.next(), path_segments.next()) {
            (None, None) => return Some((literals, id)),
            (Some(p), Some(s)) if p.starts_with('{') && !s.is_empty() => id = Some(s),
            (Some(p), Some(s)) if p == s => literals += 1,
            _ => return None,
        }
    }
}

pub fn resolve<'a>(method: &Method, path: &'a str) -> Resolved<'a> {
    let candidates: Vec<(usize, Option<&'a str>, &Route)> = ROUTES
        .iter()
        .filter_map(|route| matches(route.path, path).map(|(score, id)| (score, id, route)))
        .collect();
    let Some(best) = candidates.iter().map(|(score, ..)| *score).max() else {
        return Resolved::NotFound;
    };
    let best: Vec<_> = candidates.into_iter().filter(|(score, ..)| *score == best).collect();
    // HEAD is GET without the body (RFC 9110, 9.3.2), on every GET route.
    let serves = |route: &Route| route.method == method || (method == Method::HEAD && route.method == Method::GET);
    match best.iter().find(|(_, _, route)| serves(route)) {
        Some((_, id, route)) => Resolved::Operation(route.operation, *id),
        None => Resolved::MethodNotAllowed(
            best.iter()
                .flat_map(|(_, _, route)| match route.method {
                    Method::GET => vec![Method::GET, Method::HEAD],
                    ref other => vec![other.clone()],
                })
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_win_over_ids_and_methods_are_checked() {
        assert_eq!(
            resolve(&Method::POST, "/user-invites/accept"),
            Resolved::Operation(Operation::AcceptUserInvite, None)
        );
        assert_eq!(
            resolve(&Method::GET, "/user-invites/abc"),
            Resolved::Operation(Operation::GetUserInvite, Some("abc"))
        );
        assert_eq!(
            resolve(&Method::POST, "/user-invites/abc/resend"),
            Resolved::Operation(Operation::ResendUserInvite, Some("abc"))
        );
        assert_eq!(
            resolve(&Method::GET, "/user-invites/accept"),
            Resolved::MethodNotAllowed(vec![Method::POST])
        );
        assert_eq!(
            resolve(&Method::DELETE, "/user-invites/abc"),
            Resolved::MethodNotAllowed(vec![Method::PATCH, Method::GET, Method::HEAD])
        );
        assert_eq!(
            resolve(&Method::HEAD, "/user-invites/abc"),
            Resolved::Operation(Operation::GetUserInvite, Some("abc"))
        );
        assert_eq!(
            resolve(&Method::HEAD, "/user-invites"),
            Resolved::Operation(Operation::ListUserInvites, None)
        );
        assert_eq!(
            resolve(&Method::HEAD, "/user-invites/accept"),
            Resolved::MethodNotAllowed(vec![Method::POST])
        );
        assert_eq!(resolve(&Method::GET, "/user-invites//resend"), Resolved::NotFound);
        assert_eq!(resolve(&Method::GET, "/users"), Resolved::NotFound);
    }
}
