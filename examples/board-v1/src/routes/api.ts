// The API router mentioned by the fenced example task in brainfile.md.
export { chargeRoutes } from '../charges/routes';
