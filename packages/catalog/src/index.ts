export { builtInCatalog, findPlan, findService } from './services';
