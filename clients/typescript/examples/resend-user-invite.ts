import { roqClient } from "./roq-client.js";

const userInviteModel = await roqClient.asUser("530c9a92-71c5-4dce-a6e3-c638c2d0b1bc").resendUserInvite("d1459a92-71c5-4edc-a6a1-c638c2d0d34c")

export { userInviteModel };
