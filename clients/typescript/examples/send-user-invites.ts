import { roqClient } from "./roq-client.js";

const status = await roqClient.asUser('530c9a92-71c5-4dce-a6e3-c638c2d0b1bc').sendUserInvites({
	userInvites: {
		tenantId: 'ee764883-f2c3-4486-9de6-070345e350af',
		userInvites: [{
			createdByUserId: '530c9a92-71c5-4dce-a6e3-c638c2d0b1bc',
			email: "wick.john@gmail.com",
			locale: "en-US",
			roles: ["content-creator"]
		}]
	}
})

export { status };
