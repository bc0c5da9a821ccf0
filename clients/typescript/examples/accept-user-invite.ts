import { roqClient } from "./roq-client.js";

const acceptInviteData = await roqClient.asSuperAdmin().acceptUserInvite({
	acceptUserInvite: {
		token: "oneTimeToken"
	}
})

export { acceptInviteData };
