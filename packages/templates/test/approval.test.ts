import { describeTemplate } from './support/template-suite';

describeTemplate('approval', { minTests: 21 });
