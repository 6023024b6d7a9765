// Per-file setup of the integration project. `testTimeout` in a jest project is ignored (it is a
// global option), and hooks that create topics or join consumer groups take seconds, not ms.
jest.setTimeout(120_000);
