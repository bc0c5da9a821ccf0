import { roqClient } from "./roq-client.js";

const updateUserInvite = await roqClient.asSuperAdmin().updateUserInvite({
  id: "3f6f6373-f05e-45be-b0bf-e03dea172881",
  userInvite: {
     acceptedByUserId: null,
     firstName: "Fast",
     lastName: "Ninja",
     locale: "id-ID",
     data: { address: "Brosot ST." }
  }
})

export { updateUserInvite };
