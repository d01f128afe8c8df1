export { quantifySeries } from './quantify';
