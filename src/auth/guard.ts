import type { RequestHandler } from 'express';
import { requirePermission } from './authenticate';
import type { Permission } from './permissions';

/** `guard('post:actors')`: a valid bearer token (401) that carries the permission (403). */
export type Guard = (permission: Permission) => RequestHandler[];

export const createGuard =
  (authenticate: RequestHandler): Guard =>
  (permission) => [authenticate, requirePermission(permission)];
