//! The eight operations of the API, by ROQ's names: the vocabulary every layer shares
//! (the route table maps requests onto them, the use cases name their metrics after
//! them, each Lambda function serves one).

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    SendUserInvites,
    ResendUserInvite,
    CancelUserInvite,
    AcceptUserInvite,
    CheckUserInviteToken,
    UpdateUserInvite,
    ListUserInvites,
    GetUserInvite,
}

impl Operation {
    /// ROQ's name for the operation.
    pub fn name(self) -> &'static str {
        match self {
            Self::SendUserInvites => "sendUserInvites",
            Self::ResendUserInvite => "resendUserInvite",
            Self::CancelUserInvite => "cancelUserInvite",
            Self::AcceptUserInvite => "acceptUserInvite",
            Self::CheckUserInviteToken => "checkUserInviteToken",
            Self::UpdateUserInvite => "updateUserInvite",
            Self::ListUserInvites => "userInvites",
            Self::GetUserInvite => "userInvite",
        }
    }

    /// The crate under `functions/` that serves it in Lambda.
    pub fn function_crate(self) -> &'static str {
        match self {
            Self::SendUserInvites => "send-user-invites",
            Self::ResendUserInvite => "resend-user-invite",
            Self::CancelUserInvite => "cancel-user-invite",
            Self::AcceptUserInvite => "accept-user-invite",
            Self::CheckUserInviteToken => "check-user-invite-token",
            Self::UpdateUserInvite => "update-user-invite",
            Self::ListUserInvites => "list-user-invites",
            Self::GetUserInvite => "get-user-invite",
        }
    }
}
