import { describeTemplate } from './support/template-suite';

describeTemplate('data-sharing', { minTests: 17 });
