/**
 * English words of the log-in and sign-up pages. Top-level sections of the dictionary, spread into en.ts, kept in a
 * file of their own so each part of the app merges apart from the rest.
 */
export const enAuth = {
  auth: {
    loginTitle: "Log in to Parley",
    loginSubtitle: "Answer your customers from one shared inbox.",
    signupTitle: "Create your workspace",
    signupSubtitle: "Set up Parley for your team in a minute.",
    email: "E-mail",
    password: "Password",
    yourName: "Your name",
    workEmail: "Work e-mail",
    companyName: "Company or team name",
    logIn: "Log in",
    loggingIn: "Logging in…",
    creating: "Creating…",
    createAccount: "Create an account",
    createAccountButton: "Create account",
    newToParley: "New to Parley?",
    haveAccount: "Already have an account?",
    noWorkspace: "Your account is not a member of any workspace yet. Ask an owner to add you.",
    wrongCredentials: "That e-mail and password don't match.",
    emailTaken: "An account with this e-mail already exists. Log in instead.",
  },
};
