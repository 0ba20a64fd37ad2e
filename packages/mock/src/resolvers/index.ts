/**
 * Every operation of the contract and the resolver that answers it. Typed as
 * `Record<OperationId, Resolver>`: an operation added to the contract without a resolver
 * here is a compile error.
 */
import type { OperationId } from '@zhengwu/openapi';
import type { Resolver } from '../context';
import { appResolvers } from './apps';
import { auditResolvers } from './audit';
import { bindingResolvers } from './bindings';
import { catalogResolvers } from './catalog';
import { healthResolvers } from './health';
import { instanceResolvers } from './instances';
import { logResolvers } from './logs';
import { memberResolvers } from './members';
import { operationResolvers } from './operations';
import { releaseResolvers } from './releases';
import { scalingResolvers } from './scaling';
import { tenantResolvers } from './tenants';
import { tokenResolvers } from './tokens';

export const resolvers: Record<OperationId, Resolver> = {
  ...healthResolvers,
  ...catalogResolvers,
  ...tenantResolvers,
  ...memberResolvers,
  ...tokenResolvers,
  ...instanceResolvers,
  ...bindingResolvers,
  ...operationResolvers,
  ...appResolvers,
  ...releaseResolvers,
  ...scalingResolvers,
  ...logResolvers,
  ...auditResolvers,
};
