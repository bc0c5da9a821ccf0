import { roqClient } from "./roq-client.js";

const userInvitesData = await roqClient.asSuperAdmin().userInvites({
  limit: 10
})

export { userInvitesData };
