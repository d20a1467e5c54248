#pragma once

#include <chrono>
#include <string>

#include "store/database.h"
#include "web/mail.h"

namespace idpd::web {

// The invitation to join an organization, in `context.locale`, written to the outbox inside
// `tx` (so it exists exactly when the invitation commits). The link opens
// /account/orgs/invitation?token=…, where the signed-in invitee accepts or declines.
struct OrgInvitationMail {
    std::string to;  // the address
    std::string inviter;
    std::string org_display_name;
    std::string org_name;
    std::string role;   // the role's word in the mail's language
    std::string token;  // the link's token (stored only hashed)
    int days = 7;       // how long the link is valid
};

store::Result<void> enqueue_org_invitation_mail(store::Database& tx, const MailContext& context,
                                                const OrgInvitationMail& mail,
                                                std::chrono::sys_seconds now);

}  // namespace idpd::web
