import { roqClient } from "./roq-client.js";

const userInvite = await roqClient.asSuperAdmin().userInvite({
	id: "78f665fb-61ab-4931-a565-3136e6d01553"
})

export { userInvite };
