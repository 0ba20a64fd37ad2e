/**
 * generated — do not edit; run pnpm generate
 *
 * Source: packages/openapi/openapi.yaml (Zhengwu platform API).
 */

export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * 存活探针 · Liveness probe
         * @description 进程存活即返回 200，不检查依赖，供负载均衡和编排系统的存活探针使用。无需认证；匿名端点按来源 IP 限流，额度远高于探针频率。
         *
         *     Returns 200 while the process is alive, without checking dependencies; meant for load-balancer
         *     and orchestrator liveness probes. No authentication; anonymous endpoints are rate-limited per
         *     source IP with a budget far above any probe interval.
         */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * 就绪探针 · Readiness probe
         * @description 检查状态存储、审计管道、密钥服务和已配置的引擎池；全部通过返回 200，否则返回 503 和同样的检查列表。无需认证。
         *
         *     Checks the state store, the audit pipeline, the key service and the configured engine pools.
         *     Returns 200 when every check passes, otherwise 503 with the same list of checks. No
         *     authentication.
         */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus 指标 · Prometheus metrics
         * @description 以 Prometheus 文本格式（0.0.4）输出平台指标：请求量与延迟、异步操作、各租户配额用量、引擎池容量。需要 platform-admin 或 auditor 角色。
         *
         *     Platform metrics in the Prometheus text exposition format (0.0.4): request rates and latencies,
         *     asynchronous operations, quota usage per tenant and engine-pool capacity. Requires the
         *     platform-admin or auditor role.
         */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * 当前主体 · Current principal
         * @description 返回本次请求认证出的主体及其在各租户上的角色。
         *
         *     Returns the principal this request authenticated as, with its roles on each tenant.
         */
        get: operations["getCurrentPrincipal"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/catalog/services": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * 列出目录服务 · List catalog services
         * @description 按 `id` 升序列出服务目录中的服务，每个服务包含其全部规格。列表不含参数和凭据的 JSON Schema
         *     （约占目录的四分之三）：需要时用 `expand=schemas`，或读取单个服务或规格。
         *
         *     Lists the catalog's services in ascending `id` order, each with all of its plans. Lists
         *     leave out the parameter and credentials JSON Schemas (about three quarters of the
         *     catalog's bytes): ask for them with `expand=schemas`, or read one service or plan.
         */
        get: operations["listServices"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/catalog/services/{serviceId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 目录服务 ID · Catalog service id */
                serviceId: components["parameters"]["ServiceId"];
            };
            cookie?: never;
        };
        /**
         * 获取目录服务 · Get a catalog service
         * @description 返回一个服务及其全部规格、凭据结构和可用性。
         *
         *     Returns one service with all of its plans, its credentials schema and its availability.
         */
        get: operations["getService"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/catalog/services/{serviceId}/plans": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 目录服务 ID · Catalog service id */
                serviceId: components["parameters"]["ServiceId"];
            };
            cookie?: never;
        };
        /**
         * 列出服务规格 · List a service's plans
         * @description 按目录中的顺序（从小到大）列出一个服务的规格。
         *
         *     Lists a service's plans in catalog order (smallest first).
         */
        get: operations["listPlans"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/catalog/services/{serviceId}/plans/{planId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 目录服务 ID · Catalog service id */
                serviceId: components["parameters"]["ServiceId"];
                /** @description 规格 ID（在服务内唯一）· Plan id (unique within its service) */
                planId: components["parameters"]["PlanId"];
            };
            cookie?: never;
        };
        /**
         * 获取服务规格 · Get a plan
         * @description 返回一个规格：限额、费用展示、合规属性和参数 JSON Schema。
         *
         *     Returns one plan: its limits, showback price, compliance metadata and parameter JSON Schemas.
         */
        get: operations["getPlan"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * 列出租户 · List tenants
         * @description 列出调用方可读的租户（其拥有角色的租户及其全部下级），按 `createdAt` 从新到旧排序。
         *
         *     Lists the tenants the caller can read (every tenant it holds a role on, and their descendants),
         *     newest `createdAt` first.
         */
        get: operations["listTenants"];
        put?: never;
        /**
         * 创建租户 · Create a tenant
         * @description 在 `parentId` 下创建一个部门租户。需要上级租户（或其祖先）的 tenant-admin 角色，或 platform-admin 角色；
         *     只有 platform-admin 可以创建省级根租户（`parentId: null`）。`level` 必须比上级更深；同一上级下 `name` 唯一。
         *
         *     Creates a department tenant under `parentId`. Requires tenant-admin on the parent (or an
         *     ancestor of it), or platform-admin; only platform-admins create a province root
         *     (`parentId: null`). `level` must be deeper than the parent's; `name` is unique among siblings.
         */
        post: operations["createTenant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants/{tenantId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 租户 ID · Tenant id */
                tenantId: components["parameters"]["TenantId"];
            };
            cookie?: never;
        };
        /**
         * 获取租户 · Get a tenant
         * @description 需要该租户或其祖先上的任一角色。
         *
         *     Requires any role on the tenant or an ancestor.
         */
        get: operations["getTenant"];
        put?: never;
        post?: never;
        /**
         * 删除租户 · Delete a tenant
         * @description 删除一个空租户：仍有下级租户、实例或应用时返回 409 `not_empty`。其成员一并删除，其令牌一并吊销。
         *     需要某个祖先上的 tenant-admin 角色（不能删除自己所在的租户），或 platform-admin。
         *
         *     Deletes an empty tenant: 409 `not_empty` while it has child tenants, instances or apps. Its
         *     members are removed and its tokens revoked with it. Requires tenant-admin on an ancestor (you
         *     can't delete the tenant you administer), or platform-admin.
         */
        delete: operations["deleteTenant"];
        options?: never;
        head?: never;
        /**
         * 修改租户 · Update a tenant
         * @description 修改显示名称或标签（合并修补：省略的字段不变，标签中值为 `null` 的键被删除）。需要该租户或其祖先上的 tenant-admin 角色，或 platform-admin。
         *
         *     Changes the display name or labels (merge patch: omitted fields are unchanged; a label set to
         *     `null` is removed). Requires tenant-admin on the tenant or an ancestor, or platform-admin.
         */
        patch: operations["updateTenant"];
        trace?: never;
    };
    "/v1/tenants/{tenantId}/quota": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 租户 ID · Tenant id */
                tenantId: components["parameters"]["TenantId"];
            };
            cookie?: never;
        };
        /**
         * 获取租户配额 · Get a tenant's quota
         * @description 返回租户自身设置的限额（`null` 表示继承）和继承后的有效限额。需要该租户或其祖先上的任一角色。
         *
         *     Returns the tenant's own limits (`null` means inherited) and the effective limits after
         *     inheritance. Requires any role on the tenant or an ancestor.
         */
        get: operations["getTenantQuota"];
        /**
         * 设置租户配额 · Set a tenant's quota
         * @description 替换租户自身的全部限额；`null` 表示继承上级。任一限额高于上级的有效限额时返回 422 `quota_exceeded`。
         *     限额低于当前用量是允许的：已有资源不受影响，但新的分配会被拒绝。
         *     需要某个祖先上的 tenant-admin 角色（不能给自己的租户设置配额），或 platform-admin。
         *
         *     Replaces all of the tenant's own limits; `null` inherits the parent's. A limit above the
         *     parent's effective limit is refused with 422 `quota_exceeded`. A limit below current usage is
         *     accepted: existing resources stay, new allocations are refused. Requires tenant-admin on an
         *     ancestor (you can't set your own tenant's quota), or platform-admin.
         */
        put: operations["setTenantQuota"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants/{tenantId}/usage": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 租户 ID · Tenant id */
                tenantId: components["parameters"]["TenantId"];
            };
            cookie?: never;
        };
        /**
         * 获取租户用量 · Get a tenant's usage
         * @description 返回租户（默认含全部下级）当前的资源用量和有效限额，以及按服务的分布。需要该租户或其祖先上的任一角色。
         *
         *     Returns the tenant's current resource usage (including all descendants by default) with its
         *     effective limits and a breakdown per service. Requires any role on the tenant or an ancestor.
         */
        get: operations["getTenantUsage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants/{tenantId}/members": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 租户 ID · Tenant id */
                tenantId: components["parameters"]["TenantId"];
            };
            cookie?: never;
        };
        /**
         * 列出成员 · List members
         * @description 列出直接绑定在该租户上的成员（不含祖先上的成员），按 `createdAt` 从新到旧排序。需要该租户或其祖先上的任一角色。
         *
         *     Lists the members bound directly to this tenant (not those of its ancestors), newest
         *     `createdAt` first. Requires any role on the tenant or an ancestor.
         */
        get: operations["listMembers"];
        put?: never;
        /**
         * 添加成员 · Add a member
         * @description 在该租户子树上授予一个主体某个角色；同一主体在同一租户上只能有一个成员记录（409 `already_exists`）。
         *     需要该租户或其祖先上的 security-admin 角色。若主体已在任何租户上持有另一种职责的角色（系统：platform-admin、tenant-admin；
         *     安全：security-admin；审计：audit-admin），返回 403 `separation_of_duties`（三权分立）；security-admin 也不能修改自己的成员资格。
         *
         *     Grants a principal a role on this tenant's subtree; a principal has at most one member record
         *     per tenant (409 `already_exists`). Requires security-admin on the tenant or an ancestor. If the
         *     principal already holds a role of another duty on any tenant (system: platform-admin,
         *     tenant-admin; security: security-admin; audit: audit-admin), the call fails with 403
         *     `separation_of_duties` (三权分立); a security-admin can't change its own membership either.
         */
        post: operations["addMember"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants/{tenantId}/members/{memberId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 租户 ID · Tenant id */
                tenantId: components["parameters"]["TenantId"];
                /** @description 成员 ID · Member id */
                memberId: components["parameters"]["MemberId"];
            };
            cookie?: never;
        };
        /**
         * 获取成员 · Get a member
         * @description 需要该租户或其祖先上的任一角色。
         *
         *     Requires any role on the tenant or an ancestor.
         */
        get: operations["getMember"];
        put?: never;
        post?: never;
        /**
         * 移除成员 · Remove a member
         * @description 撤销该主体在此租户上的角色；该主体的会话令牌在下一次请求时失去相应权限。需要该租户或其祖先上的 security-admin 角色。
         *
         *     Revokes the principal's role on this tenant; its sessions lose that access on their next
         *     request. Requires security-admin on the tenant or an ancestor.
         */
        delete: operations["removeMember"];
        options?: never;
        head?: never;
        /**
         * 修改成员角色 · Change a member's role
         * @description 更换成员的角色。需要该租户或其祖先上的 security-admin 角色；违反三权分立时返回 403 `separation_of_duties`。
         *
         *     Changes the member's role. Requires security-admin on the tenant or an ancestor; a change that
         *     would break the separation of duties fails with 403 `separation_of_duties`.
         */
        patch: operations["updateMember"];
        trace?: never;
    };
    "/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * 列出令牌 · List tokens
         * @description 列出调用方可管理的租户子树中的令牌（不含密钥），按 `createdAt` 从新到旧排序；默认不含已吊销的令牌。需要 security-admin、auditor 或某种签发角色（platform-admin、tenant-admin、audit-admin）。
         *
         *     Lists the tokens of the tenant subtrees the caller may see (never their secrets), newest
         *     `createdAt` first; revoked tokens are left out unless asked for. Requires the security-admin
         *     or auditor role, or an issuing one (platform-admin, tenant-admin, audit-admin).
         */
        get: operations["listTokens"];
        put?: never;
        /**
         * 创建令牌 · Create a token
         * @description 为某租户签发一个带单一角色的平台令牌。`expiresAt` 与 `expiresInDays` 至多给出一个（同时给出返回 422 `validation_failed`），都省略时 90 天后过期，最长 366 天。
         *     密钥 `secret` 只在本响应中出现一次，平台只保存其哈希。令牌由其角色所属的职责签发（三权分立）：
         *     tenant-admin、developer 令牌需要该租户或其祖先上的 platform-admin 或 tenant-admin 角色，auditor 令牌需要
         *     audit-admin 角色；签发者必须是成员（OIDC 登录），令牌不能签发令牌。令牌不能持有 platform-admin、security-admin
         *     或 audit-admin 角色。
         *
         *     Issues a platform token with a single role on a tenant. Give at most one of `expiresAt` and
         *     `expiresInDays` (both: 422 `validation_failed`); with neither the token expires after 90 days,
         *     and never later than 366 days. The `secret` appears in this response only, once; the platform
         *     keeps only its hash. A token is issued by the duty its role belongs to (separation of duties):
         *     tenant-admin and developer tokens need platform-admin or tenant-admin on the tenant or an
         *     ancestor, auditor tokens need audit-admin; the issuer must be a member (signed in with OIDC),
         *     as tokens never issue tokens. Tokens can't carry the platform-admin, security-admin or
         *     audit-admin roles.
         */
        post: operations["createToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tokens/{tokenId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 令牌 ID · Token id */
                tokenId: components["parameters"]["TokenId"];
            };
            cookie?: never;
        };
        /**
         * 获取令牌 · Get a token
         * @description 返回令牌的元数据（不含密钥）。需要 security-admin、auditor 或某种签发角色（platform-admin、tenant-admin、audit-admin）。
         *
         *     Returns the token's metadata (never its secret). Requires the security-admin or auditor role,
         *     or an issuing one (platform-admin, tenant-admin, audit-admin).
         */
        get: operations["getToken"];
        put?: never;
        post?: never;
        /**
         * 吊销令牌 · Revoke a token
         * @description 立即吊销令牌并返回它（`revokedAt` 已设置）；之后用它认证的请求得到 401 `token_revoked`。吊销已吊销的令牌返回同样的结果。
         *     令牌记录保留以供审计。需要该令牌所属租户或其祖先上的 security-admin 角色，或签发该角色令牌的角色（见创建令牌）。
         *
         *     Revokes the token at once and returns it with `revokedAt` set; requests that authenticate with
         *     it then get 401 `token_revoked`. Revoking a revoked token returns the same result. The record is
         *     kept for audit. Requires security-admin on the token's tenant or an ancestor, or the role that
         *     issues tokens of its role (see createToken).
         */
        delete: operations["revokeToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/instances": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * 列出服务实例 · List service instances
         * @description 列出调用方可读租户中的实例，按 `createdAt` 从新到旧排序。已删除的实例（保留 7 天）只在 `state=deleted` 时返回。
         *
         *     Lists the instances of the tenants the caller can read, newest `createdAt` first. Deleted
         *     instances (kept for 7 days) are returned only when `state=deleted` is asked for.
         */
        get: operations["listInstances"];
        put?: never;
        /**
         * 创建服务实例 · Create a service instance
         * @description 按目录中的服务和规格开通实例。请求先校验目录（422 `plan_not_found`、`service_unavailable`）、`parameters`（按规格的
         *     `schemas.instanceCreate` 校验，422 `validation_failed`）和租户及其祖先的配额（422 `quota_exceeded`），通过后返回 202，
         *     实例处于 `provisioning` 状态，`lastOperation` 指向一个 `instance.provision` 操作。同一租户内 `name` 唯一（409 `already_exists`）。
         *     需要 developer 或 tenant-admin 角色。
         *
         *     Provisions an instance of a catalog service and plan. The request is checked against the
         *     catalog (422 `plan_not_found`, `service_unavailable`), its `parameters` against the plan's
         *     `schemas.instanceCreate` (422 `validation_failed`) and the quotas of the tenant and its
         *     ancestors (422 `quota_exceeded`); it then answers 202 with the instance in `provisioning` and
         *     `lastOperation` pointing to an `instance.provision` operation. `name` is unique within the
         *     tenant (409 `already_exists`). Requires the developer or tenant-admin role.
         */
        post: operations["createInstance"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/instances/{instanceId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 服务实例 ID · Service instance id */
                instanceId: components["parameters"]["InstanceId"];
            };
            cookie?: never;
        };
        /**
         * 获取服务实例 · Get a service instance
         * @description 需要实例所属租户或其祖先上的任一角色。
         *
         *     Requires any role on the instance's tenant or an ancestor.
         */
        get: operations["getInstance"];
        put?: never;
        post?: never;
        /**
         * 注销服务实例 · Delete a service instance
         * @description 注销实例：删除全部副本和备份，销毁数据密钥（加密擦除），并记录“剩余信息已清除”审计事件。仍有绑定时返回 409 `not_empty`（`force=true` 则一并删除绑定）。
         *     返回 202，实例处于 `deprovisioning` 状态，`lastOperation` 指向 `instance.deprovision` 操作；对正在注销的实例再次调用返回同一操作。
         *     完成后实例以 `deleted` 状态保留 7 天。需要 developer 或 tenant-admin 角色。
         *
         *     Deprovisions the instance: every replica and backup is deleted, the data key is destroyed
         *     (crypto-shredding) and a "residual data cleared" audit event is recorded. While bindings exist
         *     the call fails with 409 `not_empty`, unless `force=true` deletes them with it. Answers 202
         *     with the instance in `deprovisioning` and
         *     `lastOperation` pointing to an `instance.deprovision` operation; calling it again while that
         *     runs returns the same operation. Afterwards the instance stays readable as `deleted` for 7
         *     days. Requires the developer or tenant-admin role.
         */
        delete: operations["deleteInstance"];
        options?: never;
        head?: never;
        /**
         * 变更服务实例 · Update a service instance
         * @description 更换规格（服务须 `planUpdateable`）、修改参数（按新规格的 `schemas.instanceUpdate` 校验）或标签，采用合并修补语义。
         *     每次受理的变更都会创建一个 `instance.update` 操作（只改标签时立即完成）。实例不在 `ready` 状态时返回 409 `invalid_state`。
         *     需要 developer 或 tenant-admin 角色。
         *
         *     Changes the plan (the service must be `planUpdateable`), the parameters (checked against the
         *     target plan's `schemas.instanceUpdate`) or the labels, with merge-patch semantics. Every
         *     accepted update creates an `instance.update` operation (a labels-only change finishes at once).
         *     An instance that isn't `ready` answers 409 `invalid_state`. Requires the developer or
         *     tenant-admin role.
         */
        patch: operations["updateInstance"];
        trace?: never;
    };
    "/v1/instances/{instanceId}/usage": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 服务实例 ID · Service instance id */
                instanceId: components["parameters"]["InstanceId"];
            };
            cookie?: never;
        };
        /**
         * 获取实例用量 · Get an instance's usage
         * @description 返回引擎最近一次上报的用量（通常不超过 60 秒前）；只包含该服务适用的指标。实例尚未开通完成或已删除时返回 409 `invalid_state`。
         *     需要实例所属租户或其祖先上的任一角色。
         *
         *     Returns the usage last reported by the engine (usually less than 60 s old); only the metrics
         *     that apply to the service are present. An instance that isn't provisioned yet, or is deleted,
         *     answers 409 `invalid_state`. Requires any role on the instance's tenant or an ancestor.
         */
        get: operations["getInstanceUsage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/bindings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * 列出绑定 · List bindings
         * @description 列出调用方可读租户中的绑定（不含凭据），按 `createdAt` 从新到旧排序。已删除的绑定不返回。
         *
         *     Lists the bindings (without credentials) of the tenants the caller can read, newest
         *     `createdAt` first. Deleted bindings are left out.
         */
        get: operations["listBindings"];
        put?: never;
        /**
         * 创建绑定 · Create a binding
         * @description 为实例签发一组凭据。给出 `appId` 时，凭据在应用的下一次发布或重启时注入（环境变量及 `$SERVICE_BINDING_ROOT/<name>/` 下的文件）；
         *     不给出时供外部工具（如迁移工具）使用。实例须处于 `ready` 状态（否则 409 `invalid_state`），服务须可绑定，
         *     应用须与实例属于同一租户（否则 422 `validation_failed`）。同一实例上 `name` 唯一（409 `already_exists`）。
         *     返回 202，`lastOperation` 指向 `binding.create` 操作。需要 developer 或 tenant-admin 角色。
         *
         *     Issues a set of credentials for an instance. With `appId`, they are injected into the app at
         *     its next release or restart (environment variables and files under
         *     `$SERVICE_BINDING_ROOT/<name>/`); without it, they serve an external tool such as a migration
         *     tool. The instance must be `ready` (else 409 `invalid_state`), the service bindable and the app
         *     in the instance's tenant (else 422 `validation_failed`). `name` is unique per instance (409
         *     `already_exists`). Answers 202 with `lastOperation` pointing to a `binding.create` operation.
         *     Requires the developer or tenant-admin role.
         */
        post: operations["createBinding"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/bindings/{bindingId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 绑定 ID · Binding id */
                bindingId: components["parameters"]["BindingId"];
            };
            cookie?: never;
        };
        /**
         * 获取绑定 · Get a binding
         * @description 返回绑定（不含凭据，凭据见 `getBindingCredentials`）。需要绑定所属租户或其祖先上的任一角色。
         *
         *     Returns the binding without its credentials (see `getBindingCredentials`). Requires any role on
         *     the binding's tenant or an ancestor.
         */
        get: operations["getBinding"];
        put?: never;
        post?: never;
        /**
         * 删除绑定 · Delete a binding
         * @description 在引擎中吊销凭据并删除绑定；已绑定的应用在下一次发布或重启时不再获得这些凭据。返回 202，`lastOperation` 指向 `binding.delete` 操作。
         *     需要 developer 或 tenant-admin 角色。
         *
         *     Revokes the credentials in the engine and deletes the binding; an attached app stops receiving
         *     them at its next release or restart. Answers 202 with `lastOperation` pointing to a
         *     `binding.delete` operation. Requires the developer or tenant-admin role.
         */
        delete: operations["deleteBinding"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/bindings/{bindingId}/credentials": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 绑定 ID · Binding id */
                bindingId: components["parameters"]["BindingId"];
            };
            cookie?: never;
        };
        /**
         * 读取绑定凭据 · Read a binding's credentials
         * @description 返回当前版本的凭据明文，响应带 `Cache-Control: no-store`，每次读取都记录审计事件 `binding.credentials.read`。
         *     绑定尚未 `ready` 时返回 409 `invalid_state`。需要 developer 或 tenant-admin 角色（auditor 不能读取凭据）。
         *
         *     Returns the current version of the credentials in clear text, with `Cache-Control: no-store`;
         *     every read records a `binding.credentials.read` audit event. A binding that isn't `ready` yet
         *     answers 409 `invalid_state`. Requires the developer or tenant-admin role (auditors can't read
         *     credentials).
         */
        get: operations["getBindingCredentials"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/bindings/{bindingId}/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 绑定 ID · Binding id */
                bindingId: components["parameters"]["BindingId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 轮换绑定凭据 · Rotate a binding's credentials
         * @description 签发新版本的凭据（`credentialsVersion` 加一）；旧凭据在 `gracePeriodSeconds` 秒后失效（0 表示立即失效）。
         *     已绑定的应用会被滚动重启以取得新凭据（审计事件 `app.restart` 记录原因）；`gracePeriodSeconds` 为 0 时，
         *     旧凭据在重启完成后才吊销，应用不中断服务。绑定不在 `ready` 状态时返回 409 `invalid_state`。
         *     返回 202，`lastOperation` 指向 `binding.rotate` 操作。需要 developer 或 tenant-admin 角色。
         *
         *     Issues a new version of the credentials (`credentialsVersion` goes up by one); the previous
         *     ones stop working after `gracePeriodSeconds` (0: at once). An attached app gets a rolling
         *     restart to pick them up (an `app.restart` audit event gives the reason); with 0, the previous
         *     credentials are revoked once that restart has finished, so the app keeps serving. A binding that isn't `ready` answers 409 `invalid_state`. Answers 202
         *     with `lastOperation` pointing to a `binding.rotate` operation. Requires the developer or
         *     tenant-admin role.
         */
        post: operations["rotateBinding"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/operations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * 列出异步操作 · List operations
         * @description 列出调用方可读租户中的异步操作，按 `createdAt` 从新到旧排序；已结束的操作保留 30 天。
         *
         *     Lists the operations of the tenants the caller can read, newest `createdAt` first; finished
         *     operations are kept for 30 days.
         */
        get: operations["listOperations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/operations/{operationId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 异步操作 ID · Operation id */
                operationId: components["parameters"]["OperationId"];
            };
            cookie?: never;
        };
        /**
         * 获取异步操作 · Get an operation
         * @description 轮询异步操作直到 `state` 为 `succeeded`、`failed` 或 `canceled`。建议从 1 秒开始按指数退避轮询，最长间隔 15 秒。
         *     需要操作所属租户或其祖先上的任一角色。
         *
         *     Poll an operation until its `state` is `succeeded`, `failed` or `canceled`. Start at 1 s and
         *     back off exponentially up to 15 s between polls. Requires any role on the operation's tenant or
         *     an ancestor.
         */
        get: operations["getOperation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/operations/{operationId}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 异步操作 ID · Operation id */
                operationId: components["parameters"]["OperationId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 取消异步操作 · Cancel an operation
         * @description 请求取消一个未结束的操作，返回 202 和该操作；操作在当前步骤安全停止后变为 `canceled`，已完成的步骤会被回退。
         *     已结束的操作或已过不可回退点的操作（如注销已开始删除数据）返回 409 `invalid_state`。
         *     需要 developer、tenant-admin 或 platform-admin 角色。
         *
         *     Asks an unfinished operation to stop and answers 202 with it; the operation becomes `canceled`
         *     once its current step stops safely, and completed steps are rolled back. A finished operation,
         *     or one past its point of no return (a deprovisioning that has started deleting data), answers
         *     409 `invalid_state`. Requires the developer, tenant-admin or platform-admin role.
         */
        post: operations["cancelOperation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * 列出应用 · List apps
         * @description 列出调用方可读租户中的应用，按 `createdAt` 从新到旧排序。已删除的应用（保留 7 天）只在 `state=deleted` 时返回。
         *
         *     Lists the apps of the tenants the caller can read, newest `createdAt` first. Deleted apps (kept
         *     for 7 days) are returned only when `state=deleted` is asked for.
         */
        get: operations["listApps"];
        put?: never;
        /**
         * 创建应用 · Create an app
         * @description 创建一个尚无发布的应用（`created` 状态）；之后上传源码并创建发布。同一租户内 `name` 唯一（409 `already_exists`），
         *     受租户应用配额限制（422 `quota_exceeded`）。需要 developer 或 tenant-admin 角色。
         *
         *     Creates an app without any release (state `created`); upload a source and create a release
         *     next. `name` is unique within the tenant (409 `already_exists`) and counts against the tenant's
         *     app quota (422 `quota_exceeded`). Requires the developer or tenant-admin role.
         */
        post: operations["createApp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{appId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 应用 ID · App id */
                appId: components["parameters"]["AppId"];
            };
            cookie?: never;
        };
        /**
         * 获取应用 · Get an app
         * @description 需要应用所属租户或其祖先上的任一角色。
         *
         *     Requires any role on the app's tenant or an ancestor.
         */
        get: operations["getApp"];
        put?: never;
        post?: never;
        /**
         * 删除应用 · Delete an app
         * @description 停止全部副本、移除路由、删除应用的绑定（实例保留）并删除其发布制品。返回 202，应用处于 `deleting` 状态，
         *     `lastOperation` 指向 `app.delete` 操作；完成后以 `deleted` 状态保留 7 天。需要 developer 或 tenant-admin 角色。
         *
         *     Stops every replica, removes the routes, deletes the app's bindings (the instances stay) and its
         *     release artifacts. Answers 202 with the app in `deleting` and `lastOperation` pointing to an
         *     `app.delete` operation; afterwards the app stays readable as `deleted` for 7 days. Requires the
         *     developer or tenant-admin role.
         */
        delete: operations["deleteApp"];
        options?: never;
        head?: never;
        /**
         * 修改应用 · Update an app
         * @description 修改标签或普通配置变量（合并修补：值为 `null` 的键被删除）。配置变量在下一次发布或重启时生效；
         *     不要在其中存放密钥，服务凭据通过绑定注入。需要 developer 或 tenant-admin 角色。
         *
         *     Changes labels or plain config vars (merge patch: a key set to `null` is removed). Config vars
         *     take effect at the next release or restart; don't put secrets in them, service credentials
         *     arrive through bindings. Requires the developer or tenant-admin role.
         */
        patch: operations["updateApp"];
        trace?: never;
    };
    "/v1/apps/{appId}/restart": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 应用 ID · App id */
                appId: components["parameters"]["AppId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 重启应用 · Restart an app
         * @description 滚动重启应用的全部进程，或只重启 `process` 指定的进程；重启时重新注入配置变量和绑定凭据。
         *     应用还没有发布或正在删除时返回 409 `invalid_state`。返回 202，`lastOperation` 指向 `app.restart` 操作。
         *     需要 developer 或 tenant-admin 角色。
         *
         *     Rolling-restarts every process of the app, or only `process`; config vars and binding
         *     credentials are injected afresh. An app without a release, or being deleted, answers 409
         *     `invalid_state`. Answers 202 with `lastOperation` pointing to an `app.restart` operation.
         *     Requires the developer or tenant-admin role.
         */
        post: operations["restartApp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{appId}/sources": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 应用 ID · App id */
                appId: components["parameters"]["AppId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 上传源码包 · Upload a source archive
         * @description 上传应用目录的 tar.gz 包（`Content-Type: application/gzip`，最大 200 MiB，超出返回 413 `payload_too_large`）。
         *     给出 `X-Content-Sha256` 时服务器校验摘要，不符返回 400 `bad_request`；不是有效的 gzip 压缩 tar 包也返回 400 `bad_request`。
         *     未被任何发布引用的源码包 7 天后删除。需要 developer 或 tenant-admin 角色。
         *
         *     Uploads a tar.gz of the app folder (`Content-Type: application/gzip`, at most 200 MiB; larger
         *     uploads get 413 `payload_too_large`). With `X-Content-Sha256` the server checks the digest and
         *     answers 400 `bad_request` on a mismatch; a body that isn't a gzip-compressed tar archive also
         *     gets 400 `bad_request`. Sources that no release uses are deleted after 7 days. Requires the
         *     developer or tenant-admin role.
         */
        post: operations["uploadSource"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{appId}/releases": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 应用 ID · App id */
                appId: components["parameters"]["AppId"];
            };
            cookie?: never;
        };
        /**
         * 列出发布 · List releases
         * @description 按 `version` 从新到旧列出应用的发布。需要应用所属租户或其祖先上的任一角色。
         *
         *     Lists the app's releases, highest `version` first. Requires any role on the app's tenant or an
         *     ancestor.
         */
        get: operations["listReleases"];
        put?: never;
        /**
         * 创建发布 · Create a release
         * @description 从已上传的源码包和清单创建发布：构建（`release.build`）→ 执行发布命令 → 按清单开通并绑定所需服务 → 滚动部署（`release.deploy`），
         *     健康检查通过后切换路由。清单按平台的清单 JSON Schema 和实时服务目录校验（422 `validation_failed`、`plan_not_found`、`service_unavailable`），
         *     资源按配额校验（422 `quota_exceeded`）。仍未结束的旧发布会被放弃（`superseded`）。
         *     返回 202，发布处于 `pending` 状态，`lastOperation` 指向当前阶段的操作。需要 developer 或 tenant-admin 角色。
         *
         *     Creates a release from an uploaded source and a manifest: build (`release.build`) → release
         *     command → provision and bind the services the manifest asks for → rolling deployment
         *     (`release.deploy`), switching routes once health checks pass. The manifest is checked against
         *     the platform's manifest JSON Schema and the live catalog (422 `validation_failed`,
         *     `plan_not_found`, `service_unavailable`), its resources against the quotas (422 `quota_exceeded`). An older release
         *     still in progress is abandoned (`superseded`). Answers 202 with the release `pending` and
         *     `lastOperation` pointing to the operation of its current stage. Requires the developer or
         *     tenant-admin role.
         */
        post: operations["createRelease"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{appId}/releases/{releaseId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 应用 ID · App id */
                appId: components["parameters"]["AppId"];
                /** @description 发布 ID · Release id */
                releaseId: components["parameters"]["ReleaseId"];
            };
            cookie?: never;
        };
        /**
         * 获取发布 · Get a release
         * @description 需要应用所属租户或其祖先上的任一角色。
         *
         *     Requires any role on the app's tenant or an ancestor.
         */
        get: operations["getRelease"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{appId}/rollback": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 应用 ID · App id */
                appId: components["parameters"]["AppId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 回滚应用 · Roll an app back
         * @description 创建一个新发布，复用目标发布的制品和清单（不重新构建；目标的制品已按保留策略清理时，先从其源码包重新构建），`rollbackOf` 指向目标发布。
         *     目标必须是本应用中曾经 `succeeded` 的发布（否则 422 `validation_failed`）。返回 202，`lastOperation` 指向 `app.rollback` 操作。
         *     需要 developer 或 tenant-admin 角色。
         *
         *     Creates a new release that reuses the target release's artifact and manifest (no rebuild;
         *     when retention removed the target's build, it is built again from its source first),
         *     with `rollbackOf` set to the target. The target must be a release of this app that
         *     `succeeded` (else 422 `validation_failed`). Answers 202 with `lastOperation` pointing to an
         *     `app.rollback` operation. Requires the developer or tenant-admin role.
         */
        post: operations["rollbackApp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{appId}/scale": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 应用 ID · App id */
                appId: components["parameters"]["AppId"];
            };
            cookie?: never;
        };
        /**
         * 获取进程规模 · Get process scale
         * @description 返回每个进程期望的副本数和内存。需要应用所属租户或其祖先上的任一角色。
         *
         *     Returns the desired replicas and memory of each process. Requires any role on the app's tenant
         *     or an ancestor.
         */
        get: operations["getAppScale"];
        /**
         * 设置进程规模 · Scale processes
         * @description 设置所列进程的副本数和（可选）内存；未列出的进程保持不变。超出租户或其祖先的配额返回 422 `quota_exceeded`，
         *     未知进程返回 422 `validation_failed`；进程启用了自动伸缩时副本数须在策略的 `minReplicas`–`maxReplicas` 内。
         *     副本调整立即开始，进度见应用的 `processes[].ready` 和伸缩事件。需要 developer 或 tenant-admin 角色。
         *
         *     Sets the replicas and, optionally, the memory of the listed processes; processes you leave out
         *     keep their scale. Going over the quota of the tenant or an ancestor answers 422
         *     `quota_exceeded`; an unknown process answers 422 `validation_failed`; for a process under an
         *     enabled autoscaling policy the replicas must lie within its `minReplicas`–`maxReplicas`.
         *     Replicas start changing at once; follow the app's `processes[].ready` and the scaling events.
         *     Requires the developer or tenant-admin role.
         */
        put: operations["scaleApp"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{appId}/autoscaling": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 应用 ID · App id */
                appId: components["parameters"]["AppId"];
            };
            cookie?: never;
        };
        /**
         * 获取自动伸缩策略 · Get the autoscaling policy
         * @description 返回应用的自动伸缩策略；未设置时返回 404 `not_found`。需要应用所属租户或其祖先上的任一角色。
         *
         *     Returns the app's autoscaling policy; 404 `not_found` when none is set. Requires any role on the
         *     app's tenant or an ancestor.
         */
        get: operations["getAutoscalingPolicy"];
        /**
         * 设置自动伸缩策略 · Set the autoscaling policy
         * @description 创建或替换应用的自动伸缩策略（每个应用一个，作用于 `process`）。`minReplicas` 不得大于 `maxReplicas`，
         *     `maxReplicas` 计入配额（422 `quota_exceeded`）。计划伸缩在其时间窗内覆盖策略的上下限。需要 developer 或 tenant-admin 角色。
         *
         *     Creates or replaces the app's autoscaling policy (one per app, acting on `process`).
         *     `minReplicas` can't exceed `maxReplicas`, and `maxReplicas` counts against the quota (422
         *     `quota_exceeded`). Scaling schedules override the bounds during their windows. Requires the
         *     developer or tenant-admin role.
         */
        put: operations["setAutoscalingPolicy"];
        post?: never;
        /**
         * 删除自动伸缩策略 · Delete the autoscaling policy
         * @description 删除策略；进程保持当前副本数。计划伸缩不受影响。需要 developer 或 tenant-admin 角色。
         *
         *     Deletes the policy; the process keeps its current replicas. Schedules are not affected.
         *     Requires the developer or tenant-admin role.
         */
        delete: operations["deleteAutoscalingPolicy"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{appId}/autoscaling/schedules": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 应用 ID · App id */
                appId: components["parameters"]["AppId"];
            };
            cookie?: never;
        };
        /**
         * 列出伸缩计划 · List scaling schedules
         * @description 按 `name` 升序列出应用的伸缩计划。需要应用所属租户或其祖先上的任一角色。
         *
         *     Lists the app's scaling schedules in ascending `name` order. Requires any role on the app's
         *     tenant or an ancestor.
         */
        get: operations["listSchedules"];
        put?: never;
        /**
         * 创建伸缩计划 · Create a scaling schedule
         * @description 创建一个计划：在时间窗内把进程的副本数限定在 `minReplicas`–`maxReplicas`。`recurring` 用两个 5 段 cron 表达式
         *     （按 `timezone` 解释）给出每次的开始和结束；`specificDate` 用 `startAt`/`endAt` 给出一次性的时间窗，例如五月纳税申报高峰。
         *     同一应用内 `name` 唯一（409 `already_exists`），`maxReplicas` 计入配额（422 `quota_exceeded`）。需要 developer 或 tenant-admin 角色。
         *
         *     Creates a schedule that keeps a process between `minReplicas` and `maxReplicas` during a
         *     window. `recurring` gives the start and end of each window as two 5-field cron expressions
         *     (read in `timezone`); `specificDate` gives a one-off window with `startAt`/`endAt`, such as the
         *     May tax-filing peak. `name` is unique within the app (409 `already_exists`) and `maxReplicas`
         *     counts against the quota (422 `quota_exceeded`). Requires the developer or tenant-admin role.
         */
        post: operations["createSchedule"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{appId}/autoscaling/schedules/{scheduleId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 应用 ID · App id */
                appId: components["parameters"]["AppId"];
                /** @description 伸缩计划 ID · Scaling schedule id */
                scheduleId: components["parameters"]["ScheduleId"];
            };
            cookie?: never;
        };
        /**
         * 获取伸缩计划 · Get a scaling schedule
         * @description 需要应用所属租户或其祖先上的任一角色。
         *
         *     Requires any role on the app's tenant or an ancestor.
         */
        get: operations["getSchedule"];
        /**
         * 替换伸缩计划 · Replace a scaling schedule
         * @description 用请求体整体替换计划（可以改变 `kind`）；正在生效的时间窗按新定义重新计算。需要 developer 或 tenant-admin 角色。
         *
         *     Replaces the schedule with the body (`kind` may change); a window in effect is re-evaluated
         *     against the new definition. Requires the developer or tenant-admin role.
         */
        put: operations["updateSchedule"];
        post?: never;
        /**
         * 删除伸缩计划 · Delete a scaling schedule
         * @description 删除计划；若其时间窗正在生效，进程回到自动伸缩策略的上下限（无策略时保持当前副本数）。需要 developer 或 tenant-admin 角色。
         *
         *     Deletes the schedule; if its window is in effect, the process returns to the autoscaling
         *     policy's bounds (or keeps its current replicas when there is no policy). Requires the developer
         *     or tenant-admin role.
         */
        delete: operations["deleteSchedule"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{appId}/scaling-events": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 应用 ID · App id */
                appId: components["parameters"]["AppId"];
            };
            cookie?: never;
        };
        /**
         * 列出伸缩事件 · List scaling events
         * @description 列出应用副本数的每次变化及其原因（手动、自动伸缩、计划、发布滚动），按 `createdAt` 从新到旧排序；保留 90 天。
         *     需要应用所属租户或其祖先上的任一角色。
         *
         *     Lists every change of the app's replicas with its reason (manual, autoscaler, schedule,
         *     rollout), newest `createdAt` first; kept for 90 days. Requires any role on the app's tenant or
         *     an ancestor.
         */
        get: operations["listScalingEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{appId}/logs": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 应用 ID · App id */
                appId: components["parameters"]["AppId"];
            };
            cookie?: never;
        };
        /**
         * 流式读取应用日志 · Stream app logs
         * @description 以服务器发送事件（`text/event-stream`）返回日志。先发送积压部分：`since` 之后（给出时）的日志中最近的 `tail` 条；
         *     `follow=true` 时随后持续推送新日志，否则发送 `end` 事件后关闭连接。事件类型：
         *
         *     - `event: log`：`data:` 为一个 JSON 编码的 `LogEntry`，`id:` 为不透明游标，可作为 `Last-Event-ID` 从其后继续；
         *     - `event: heartbeat`：每 15 秒一次，`data: {}`，用于保持连接；
         *     - `event: end`：积压发送完毕且 `follow=false`，`data: {}`，随后服务器关闭连接（客户端不应重连）。
         *
         *     客户端必须忽略未知的事件类型。给出 `Last-Event-ID` 时从该条之后继续，忽略 `since` 和 `tail`。
         *     需要 developer、tenant-admin 或 auditor 角色。
         *
         *     Streams logs as server-sent events (`text/event-stream`). The backlog comes first: the last
         *     `tail` entries, after `since` when given; with `follow=true` new entries keep coming, otherwise
         *     an `end` event is sent and the connection closes. Event types:
         *
         *     - `event: log`: `data:` is one JSON-encoded `LogEntry`; `id:` is an opaque cursor you can send
         *       back as `Last-Event-ID` to resume after that entry;
         *     - `event: heartbeat`: every 15 s with `data: {}`, keeps the connection alive;
         *     - `event: end`: the backlog is done and `follow=false`; `data: {}`, then the server closes the
         *       connection (clients must not reconnect).
         *
         *     Clients must ignore unknown event types. With `Last-Event-ID` the stream resumes after that
         *     entry and `since` and `tail` are ignored. Requires the developer, tenant-admin or auditor role.
         */
        get: operations["streamAppLogs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * 查询审计事件 · List audit events
         * @description 按 `sequence` 从新到旧查询审计事件。只能看到调用方有角色的租户子树中的事件；平台级事件（`tenantId` 为 `null`）
         *     需要根租户上的角色。需要 auditor 或 audit-admin 角色。
         *
         *     Lists audit events, highest `sequence` first. Only events of tenant subtrees the caller holds a
         *     role on are visible; platform-wide events (`tenantId: null`) need a role on a root tenant.
         *     Requires the auditor or audit-admin role.
         */
        get: operations["listAuditEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit-events/{eventId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 审计事件 ID · Audit event id */
                eventId: components["parameters"]["EventId"];
            };
            cookie?: never;
        };
        /**
         * 获取审计事件 · Get an audit event
         * @description 需要 auditor 或 audit-admin 角色。
         *
         *     Requires the auditor or audit-admin role.
         */
        get: operations["getAuditEvent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit-events/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 校验审计哈希链 · Verify the audit hash chain
         * @description 重新计算 `fromSequence`–`toSequence`（默认整条链）内每个事件的 HMAC-SM3，并核对每个事件的 `prevHash`
         *     等于前一事件的 `hash`。范围到达链头时，还与平台保存在数据库之外的链头锚点比对，链尾被删除或整条链被回滚也会报告为断链。
         *     结果本身记录为审计事件 `audit.verify`；不修改任何数据。范围为空或越界返回 422 `validation_failed`。
         *     校验的是整条平台链（含所有租户的事件），因此需要平台级或省级根租户上的 audit-admin 或 auditor 角色；
         *     只在下级租户上有审计角色返回 403 `forbidden`。
         *
         *     Recomputes the HMAC-SM3 of every event from `fromSequence` to `toSequence` (default: the whole
         *     chain) and checks that each event's `prevHash` equals the previous event's `hash`. A span that
         *     reaches the chain head is also checked against the head anchor the platform keeps outside the
         *     database, so deleting the newest events or rolling the whole chain back shows as a break. The
         *     result is itself recorded as an `audit.verify` event; no data changes. An empty or out-of-range
         *     span answers 422 `validation_failed`. The chain is platform-wide (every tenant's events), so
         *     this requires the audit-admin or auditor role platform-wide or on a root (province) tenant;
         *     an audit role only on lower tenants answers 403 `forbidden`.
         */
        post: operations["verifyAuditChain"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * @description 租户 ID · Tenant id
         * @example ten_01JC8Q5R7T9V1X3Z5B7D9F1H3K
         */
        TenantId: string;
        /**
         * @description 成员 ID · Member id
         * @example mem_01JD7WQ3K9T5N2R8X4M6B0C1HZ
         */
        MemberId: string;
        /**
         * @description 令牌 ID · Token id
         * @example tok_01JD8E4N7R2V5Y9B3F6J0M8Q1T
         */
        TokenId: string;
        /**
         * @description 服务实例 ID · Service instance id
         * @example ins_01JDA3Z9R5W7C2K8N4T6X0B1QF
         */
        InstanceId: string;
        /**
         * @description 绑定 ID · Binding id
         * @example bnd_01JDA8M2P6S0V4Y8C2F6J0N4R7
         */
        BindingId: string;
        /**
         * @description 异步操作（Operation 资源）的 ID · Id of an Operation resource
         * @example op_01JDA3ZA0B7Q5T3V1X9Z7C5E3G
         */
        OperationId: string;
        /**
         * @description 应用 ID · App id
         * @example app_01JDB2K7N1R5V9Z3D7H1M5Q9T3
         */
        AppId: string;
        /**
         * @description 源码包 ID · Source archive id
         * @example src_01JDB6C4F8J2M6Q0T4W8Z2C6F0
         */
        SourceId: string;
        /**
         * @description 发布 ID · Release id
         * @example rel_01JDB6D9H3K7N1R5V9Y3B7E1H5
         */
        ReleaseId: string;
        /**
         * @description 伸缩计划 ID · Scaling schedule id
         * @example sch_01JDC1E5H9M3Q7T1W5Z9C3F7J1
         */
        ScheduleId: string;
        /**
         * @description 伸缩事件 ID · Scaling event id
         * @example sev_01JDC9P3S7W1Z5D9G3K7N1R5V9
         */
        ScalingEventId: string;
        /**
         * @description 审计事件 ID · Audit event id
         * @example evt_01JDD2T6W0Z4C8F2J6M0Q4T8X2
         */
        AuditEventId: string;
        /**
         * @description 异步操作作用的资源 ID（实例、绑定、应用或发布）· Id of the resource an operation acts on (instance, binding, app or release)
         * @example ins_01JDA3Z9R5W7C2K8N4T6X0B1QF
         */
        OperationTargetId: string;
        /**
         * @description 请求 ID：服务器生成的形如 `req_…`，或客户端通过 `X-Request-Id` 提供的值 · A request id: `req_…` when generated by the server, or the value the client sent in `X-Request-Id`
         * @example req_01JDD2T6VZ8K3N7R1V5Y9C3F7J
         */
        RequestId: string;
        /**
         * @description 目录服务 ID（短名）· Catalog service id (a slug)
         * @example postgresql
         * @example mysql
         * @example redis
         * @example rabbitmq
         * @example mqtt
         * @example object-storage
         */
        ServiceId: string;
        /**
         * @description 规格 ID（短名，在服务内唯一）· Plan id (a slug, unique within its service)
         * @example dev
         * @example s
         * @example m-ha
         */
        PlanId: string;
        /**
         * @description 名称：2–63 个字符，小写字母开头，由小写字母、数字和连字符组成，不以连字符结尾（可用作 DNS 标签）· A name of 2–63 characters: lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen (usable as a DNS label)
         * @example etax-portal
         */
        ResourceName: string;
        /**
         * @description 进程类型，如 `web`、`worker` · A process type such as `web` or `worker`
         * @example web
         * @example worker
         */
        ProcessType: string;
        /**
         * @description 面向用户的中英文文本 · User-facing text in Chinese and English
         * @example {
         *       "zh": "杭州市税务局",
         *       "en": "Hangzhou Municipal Tax Bureau"
         *     }
         */
        LocalizedText: {
            /**
             * @description 简体中文 · Simplified Chinese
             * @example 杭州市税务局
             */
            zh: string;
            /**
             * @description 英文 · English
             * @example Hangzhou Municipal Tax Bureau
             */
            en: string;
        };
        /**
         * @description 标签：最多 64 个键值对，键为小写字母开头的 1–63 个字符（小写字母、数字、`.`、`_`、`/`、`-`），值最长 255 个字符。
         *     常用键 `classification`（public、internal、sensitive、core 数据分级）。
         *
         *     Labels: up to 64 pairs; keys are 1–63 characters (lowercase letters, digits, `.`, `_`, `/`, `-`)
         *     starting with a letter, values at most 255 characters. A common key is `classification`
         *     (the data grade: public, internal, sensitive, core).
         * @example {
         *       "classification": "internal",
         *       "system": "etax"
         *     }
         */
        Labels: {
            [key: string]: string;
        };
        /**
         * @description 标签的合并修补：给出的键被设置，值为 `null` 的键被删除，未给出的键不变 · A merge patch of labels: given keys are set, keys set to `null` are removed, other keys are unchanged
         * @example {
         *       "system": "etax",
         *       "owner": null
         *     }
         */
        LabelsPatch: {
            [key: string]: string | null;
        };
        /**
         * @description 一个 JSON Schema（2020-12）文档 · A JSON Schema (draft 2020-12) document
         * @example {
         *       "type": "object",
         *       "additionalProperties": false,
         *       "properties": {
         *         "version": {
         *           "type": "string",
         *           "enum": [
         *             "15",
         *             "16"
         *           ],
         *           "default": "16"
         *         },
         *         "extensions": {
         *           "type": "array",
         *           "items": {
         *             "type": "string",
         *             "enum": [
         *               "pg_trgm",
         *               "postgis",
         *               "pgcrypto"
         *             ]
         *           }
         *         }
         *       }
         *     }
         */
        JsonSchema: {
            [key: string]: unknown;
        };
        /** @description 资源最近一次异步操作的摘要 · Summary of a resource's latest operation */
        OperationRef: {
            id: components["schemas"]["OperationId"];
            type: components["schemas"]["OperationType"];
            state: components["schemas"]["OperationState"];
        };
        /** @description RFC 9457 问题详情。按 `code` 编程，不要解析 `title` 或 `detail`。 RFC 9457 problem details. Branch on `code`; never parse `title` or `detail`. */
        Problem: {
            /**
             * Format: uri
             * @description 问题类型 URI，形如 `https://zhengwu.gov.cn/problems/<code>` · Problem type URI, `https://zhengwu.gov.cn/problems/<code>`
             * @default about:blank
             * @example https://zhengwu.gov.cn/problems/not_found
             */
            type: string;
            /**
             * @description 问题类型的简短英文说明，同一 `code` 不变 · Short English summary of the problem type; the same for every occurrence of a `code`
             * @example Not found
             */
            title: string;
            /**
             * @description HTTP 状态码 · The HTTP status code
             * @example 404
             */
            status: number;
            /**
             * @description 针对本次发生的人类可读说明 · Human-readable explanation of this occurrence
             * @example Instance ins_01JDA3Z9R5W7C2K8N4T6X0B1QF was not found.
             */
            detail?: string;
            /**
             * Format: uri-reference
             * @description 出错请求的路径 · Path of the request that failed
             * @example /v1/instances/ins_01JDA3Z9R5W7C2K8N4T6X0B1QF
             */
            instance?: string;
            /**
             * @description 稳定的错误码；客户端必须能处理未知的错误码（按 HTTP 状态处理）。 A stable error code; clients must handle unknown codes (fall back on the HTTP status).
             *
             *     | code | status | 含义 · Meaning |
             *     |---|---|---|
             *     | `bad_request` | 400 | 参数无效或未知 · Invalid or unknown parameter |
             *     | `invalid_json` | 400 | 请求体不是合法 JSON · Body isn't valid JSON |
             *     | `validation_failed` | 422 | 请求体不符合 Schema 或业务规则 · Body fails the schema or a rule |
             *     | `unauthenticated` | 401 | 缺少或无效的凭据 · Missing or invalid credentials |
             *     | `token_expired` | 401 | 令牌已过期 · Token expired |
             *     | `token_revoked` | 401 | 令牌已吊销 · Token revoked |
             *     | `forbidden` | 403 | 角色不足 · Role missing |
             *     | `separation_of_duties` | 403 | 违反三权分立 · Separation of duties |
             *     | `not_found` | 404 | 不存在或不可见 · Missing or not visible |
             *     | `conflict` | 409 | 并发修改冲突 · Concurrent change |
             *     | `already_exists` | 409 | 名称已被使用 · Name taken |
             *     | `not_empty` | 409 | 仍有下属资源 · Still has dependents |
             *     | `invalid_state` | 409 | 当前状态不允许 · Not allowed in this state |
             *     | `idempotency_key_in_use` | 409 | 同键请求仍在处理 · Same key still running |
             *     | `idempotency_key_reused` | 422 | 同键不同请求体 · Same key, other body |
             *     | `quota_exceeded` | 422 | 超出配额 · Over quota |
             *     | `plan_not_found` | 422 | 服务没有该规格 · No such plan |
             *     | `service_unavailable` | 422 | 服务未配置引擎池 · Service has no engine pool |
             *     | `build_failed` | 422 | 发布构建失败（`Release.failure`）· The release build failed |
             *     | `release_failed` | 422 | 发布命令失败，未滚动部署（`Release.failure`）· The release command failed; no rollout |
             *     | `unhealthy` | 422 | 新副本未就绪，已回滚（`Release.failure`）· New replicas never became ready; rolled back |
             *     | `payload_too_large` | 413 | 请求体过大 · Body too large |
             *     | `unsupported_media_type` | 415 | 不支持的 Content-Type · Content-Type not accepted |
             *     | `rate_limited` | 429 | 请求过于频繁 · Too many requests |
             *     | `internal` | 500 | 内部错误 · Internal error |
             *     | `bad_gateway` | 502 | 应用副本无应答（应用路由）· An app replica did not answer (app router) |
             *     | `unavailable` | 503 | 暂时不可用 · Temporarily unavailable |
             * @example not_found
             */
            code: string;
            requestId: components["schemas"]["RequestId"];
            /** @description 逐项的问题（`validation_failed`、`bad_request`）· Individual problems (`validation_failed`, `bad_request`) */
            errors?: components["schemas"]["ProblemFieldError"][];
        };
        /** @description 一个参数或字段的问题 · A problem with one parameter or field */
        ProblemFieldError: {
            /**
             * @description JSON Pointer（RFC 6901），指向请求视为 `{"body": …, "query": …, "path": …, "header": …}` 时的出错位置 · JSON Pointer (RFC 6901) to the offending value, with the request seen as `{"body": …, "query": …, "path": …, "header": …}`
             * @example /body/parameters/version
             * @example /query/limit
             */
            path: string;
            /**
             * @description 人类可读的说明 · Human-readable explanation
             * @example must be <= 200
             */
            message: string;
            /**
             * @description 未满足的 JSON Schema 关键字（如 `required`、`pattern`、`enum`）或业务规则名 · The JSON Schema keyword that failed (such as `required`, `pattern`, `enum`) or the name of a rule
             * @example maximum
             */
            code: string;
        };
        Health: {
            /**
             * @description 恒为 `ok` · Always `ok`
             * @enum {string}
             */
            status: "ok";
            /**
             * @description 平台版本（SemVer）· Platform version (SemVer)
             * @example 1.0.0
             */
            version: string;
            /**
             * Format: date-time
             * @description 服务器当前时间，可用于检查时钟偏差 · Server time, for clock-skew checks
             * @example 2026-11-26T08:00:00Z
             */
            time: string;
        };
        Readiness: {
            /**
             * @description 全部检查通过时为 `ready` · `ready` when every check passes
             * @enum {string}
             */
            status: "ready" | "not_ready";
            checks: components["schemas"]["ReadinessCheck"][];
        };
        ReadinessCheck: {
            /**
             * @description 检查项，如 `state-store`、`audit-pipeline`、`pool/<池名>` · The check, such as `state-store`, `audit-pipeline`, `pool/<pool name>`
             * @example state-store
             */
            name: string;
            /** @enum {string} */
            status: "pass" | "fail";
            /**
             * @description 失败原因 · Why the check failed
             * @example connection refused
             */
            detail?: string;
        };
        /**
         * @description 角色。系统管理员、安全管理员、审计管理员三权分立：同一主体在整个平台上最多持有其中一个。
         *
         *     Roles. Platform, security and audit administration are separated (三权分立): one principal
         *     holds at most one of those three across the whole platform.
         *
         *     | role | 中文 | 权限 · Grants |
         *     |---|---|---|
         *     | `platform-admin` | 系统管理员 | 租户树（含省级根租户）、配额、平台运维、指标 · tenant tree (incl. province roots), quotas, platform operation, metrics |
         *     | `security-admin` | 安全管理员 | 成员、令牌、密钥 · members, tokens, keys |
         *     | `audit-admin` | 审计管理员 | 审计日志、哈希链校验、留存 · audit log, chain verification, retention |
         *     | `tenant-admin` | 租户管理员 | 子树内的下级租户、下级配额和全部资源 · child tenants, their quotas and every resource in the subtree |
         *     | `developer` | 开发人员 | 实例、绑定、应用、发布、伸缩 · instances, bindings, apps, releases, scaling |
         *     | `auditor` | 审计员 | 只读，包括审计日志 · read-only, audit log included |
         *
         *     角色作用于所绑定租户及其全部下级。 A role applies to its tenant and every descendant.
         * @enum {string}
         */
        Role: "platform-admin" | "security-admin" | "audit-admin" | "tenant-admin" | "developer" | "auditor";
        /** @description 在某租户子树上的一个角色 · One role on a tenant subtree */
        RoleBinding: {
            /** @description 角色所在租户；`null` 表示全平台（如首次启动生成的平台管理员令牌）· The tenant the role is held on; `null` means platform-wide (such as the bootstrap platform-admin token) */
            tenantId: components["schemas"]["TenantId"] | null;
            role: components["schemas"]["Role"];
        };
        /** @description 一个已认证的主体 · An authenticated principal */
        Principal: {
            /**
             * @description 主体 ID：用户为邮箱，令牌为 `tok_…`，OIDC 主体为其 `sub` · Principal id: the email of a user, `tok_…` for a token, the `sub` of an OIDC subject
             * @example li.wei@hz-tax.gov.cn
             */
            id: string;
            /**
             * @description 主体类型 · Principal type
             * @enum {string}
             */
            type: "user" | "token" | "oidc";
            /**
             * @description 显示名称 · Display name
             * @example 李伟
             */
            name: string;
            /**
             * @description 默认租户：令牌为其所属租户，用户和 OIDC 主体为其最早的成员资格所在租户，没有任何成员资格时为 `null`；请求省略 `tenantId` 时使用它。
             *
             *     Default tenant: a token's own tenant; for users and OIDC subjects the tenant of their
             *     oldest membership, or `null` without any. Used when a request leaves `tenantId` out.
             */
            tenantId: components["schemas"]["TenantId"] | null;
            /** @description 主体持有的全部角色 · Every role the principal holds */
            roles: components["schemas"]["RoleBinding"][];
            /** @description 认证本次请求的 `zw_` 令牌；以 OIDC JWT 认证时不存在 · The `zw_` token that authenticated this request; absent for OIDC JWTs */
            tokenId?: components["schemas"]["TokenId"];
        };
        /**
         * @description 服务类别 · Service category
         * @enum {string}
         */
        ServiceCategory: "database" | "middleware" | "storage" | "security" | "data" | "runtime";
        /** @description 服务所用的开源引擎 · The open-source engine behind the service */
        ServiceEngine: {
            /** @example PostgreSQL */
            name: string;
            /**
             * @description 主版本 · Major version
             * @example 16
             */
            version: string;
        };
        /** @description 目录中的一个服务 · A service in the catalog */
        Service: {
            readonly id: components["schemas"]["ServiceId"];
            displayName: components["schemas"]["LocalizedText"];
            description: components["schemas"]["LocalizedText"];
            category: components["schemas"]["ServiceCategory"];
            /**
             * @description 检索用的标签 · Tags for search
             * @example [
             *       "sql",
             *       "relational",
             *       "信创"
             *     ]
             */
            tags: string[];
            /** @description 平台已为该服务配置引擎池，可以开通 · An engine pool is configured for the service, so it can be provisioned */
            available: boolean;
            /** @description 不可开通的原因；可开通时为 `null` · Why it can't be provisioned; `null` when it can */
            unavailableReason: components["schemas"]["LocalizedText"] | null;
            /** @description 实例能否创建绑定 · Whether instances accept bindings */
            bindable: boolean;
            /** @description 实例能否更换规格 · Whether instances can change plan */
            planUpdateable: boolean;
            engine: components["schemas"]["ServiceEngine"];
            /** @description 绑定凭据的 JSON Schema · JSON Schema of the binding credentials */
            credentialsSchema: components["schemas"]["JsonSchema"];
            /**
             * Format: uri
             * @description 服务文档 · Service documentation
             * @example https://zhengwu.gov.cn/docs/services/postgresql
             */
            documentationUrl?: string;
            plans: components["schemas"]["Plan"][];
        };
        /** @description 目录中的一个服务，列表中的形式：不含 JSON Schema（`expand=schemas` 时包含）· A catalog service as lists show it: without its JSON Schemas (with them under `expand=schemas`) */
        ServiceSummary: {
            readonly id: components["schemas"]["ServiceId"];
            displayName: components["schemas"]["LocalizedText"];
            description: components["schemas"]["LocalizedText"];
            category: components["schemas"]["ServiceCategory"];
            /**
             * @description 检索用的标签 · Tags for search
             * @example [
             *       "sql",
             *       "relational",
             *       "信创"
             *     ]
             */
            tags: string[];
            /** @description 平台已为该服务配置引擎池，可以开通 · An engine pool is configured for the service, so it can be provisioned */
            available: boolean;
            /** @description 不可开通的原因；可开通时为 `null` · Why it can't be provisioned; `null` when it can */
            unavailableReason: components["schemas"]["LocalizedText"] | null;
            /** @description 实例能否创建绑定 · Whether instances accept bindings */
            bindable: boolean;
            /** @description 实例能否更换规格 · Whether instances can change plan */
            planUpdateable: boolean;
            engine: components["schemas"]["ServiceEngine"];
            /** @description 绑定凭据的 JSON Schema；仅在 `expand=schemas` 时返回 · JSON Schema of the binding credentials; only with `expand=schemas` */
            credentialsSchema?: components["schemas"]["JsonSchema"];
            /**
             * Format: uri
             * @description 服务文档 · Service documentation
             * @example https://zhengwu.gov.cn/docs/services/postgresql
             */
            documentationUrl?: string;
            plans: components["schemas"]["PlanSummary"][];
        };
        /** @description 规格的容量上限；只出现适用于该服务的项 · Capacity limits of a plan; only those that apply to the service are present */
        PlanLimits: {
            /**
             * @description 最大并发连接数 · Maximum concurrent connections
             * @example 400
             */
            connections?: number;
            /**
             * @description 存储容量（MiB）· Storage (MiB)
             * @example 102400
             */
            storageMb?: number;
            /**
             * @description 内存（MiB）· Memory (MiB)
             * @example 4096
             */
            memoryMb?: number;
            /**
             * @description 每秒消息数 · Messages per second
             * @example 5000
             */
            messagesPerSecond?: number;
            /**
             * @description 带宽（Mbit/s）· Bandwidth (Mbit/s)
             * @example 100
             */
            bandwidthMbps?: number;
            /**
             * @description 节点（副本）数 · Number of nodes (replicas)
             * @example 2
             */
            replicas?: number;
        };
        /** @description 展示性费用（用于成本展示，不实际计费）· A showback price (shown for cost awareness, not billed) */
        ShowbackPrice: {
            /**
             * @description 计价周期 · Pricing period
             * @enum {string}
             */
            unit: "hour" | "month";
            /**
             * @description 每个周期的金额（元，两位小数）· Amount per period (yuan, two decimals)
             * @example 1.25
             */
            amount: number;
            /** @enum {string} */
            currency: "CNY";
        };
        /** @description 规格的合规属性（等保 2.0、密评）· Compliance metadata of the plan (MLPS 2.0, commercial cryptography) */
        PlanCompliance: {
            /**
             * @description 满足的等保级别 · The MLPS (等保) level it satisfies
             * @enum {integer}
             */
            dengbaoLevel: 2 | 3;
            /** @description 数据静态加密（SM4 或 AES）· Data encrypted at rest (SM4 or AES) */
            encryptedAtRest: boolean;
            /**
             * @description 备份保留天数 · Days backups are kept
             * @example 14
             */
            backupRetentionDays: number;
            /**
             * @description 数据存放国家（ISO 3166-1）· Country where data is stored (ISO 3166-1)
             * @example CN
             */
            dataResidency: string;
            /** @description 使用国密算法（SM2/SM3/SM4）· Uses the Chinese national algorithms (SM2/SM3/SM4) */
            gmCrypto: boolean;
            /**
             * @description 审计日志保留天数（网络安全法要求不少于 180 天）· Days audit logs are kept (at least 180 under the Cybersecurity Law)
             * @example 180
             */
            auditRetentionDays: number;
        };
        /** @description 本规格的参数 JSON Schema · Parameter JSON Schemas of this plan */
        PlanSchemas: {
            /** @description 校验 `InstanceCreate.parameters` · Validates `InstanceCreate.parameters` */
            instanceCreate: components["schemas"]["JsonSchema"];
            /** @description 校验 `InstanceUpdate.parameters` · Validates `InstanceUpdate.parameters` */
            instanceUpdate: components["schemas"]["JsonSchema"];
            /** @description 校验 `BindingCreate.parameters` · Validates `BindingCreate.parameters` */
            bindingCreate: components["schemas"]["JsonSchema"];
        };
        /** @description 服务的一个规格 · One plan of a service */
        Plan: {
            readonly id: components["schemas"]["PlanId"];
            serviceId: components["schemas"]["ServiceId"];
            displayName: components["schemas"]["LocalizedText"];
            description: components["schemas"]["LocalizedText"];
            /** @description 免费规格（共享资源，无 SLA）· A free plan (shared resources, no SLA) */
            free: boolean;
            limits: components["schemas"]["PlanLimits"];
            price: components["schemas"]["ShowbackPrice"];
            compliance: components["schemas"]["PlanCompliance"];
            schemas: components["schemas"]["PlanSchemas"];
        };
        /** @description 服务的一个规格，服务列表中的形式：不含 JSON Schema（`expand=schemas` 时包含）· One plan of a service as service lists show it: without its JSON Schemas (with them under `expand=schemas`) */
        PlanSummary: {
            readonly id: components["schemas"]["PlanId"];
            serviceId: components["schemas"]["ServiceId"];
            displayName: components["schemas"]["LocalizedText"];
            description: components["schemas"]["LocalizedText"];
            /** @description 免费规格（共享资源，无 SLA）· A free plan (shared resources, no SLA) */
            free: boolean;
            limits: components["schemas"]["PlanLimits"];
            price: components["schemas"]["ShowbackPrice"];
            compliance: components["schemas"]["PlanCompliance"];
            /** @description 参数的 JSON Schema；仅在 `expand=schemas` 时返回 · Parameter JSON Schemas; only with `expand=schemas` */
            schemas?: components["schemas"]["PlanSchemas"];
        };
        ServiceList: {
            data: components["schemas"]["ServiceSummary"][];
            nextCursor: components["schemas"]["NextCursor"];
        };
        PlanList: {
            data: components["schemas"]["Plan"][];
            nextCursor: components["schemas"]["NextCursor"];
        };
        /**
         * @description 下一页的游标；最后一页为 `null` · Cursor of the next page; `null` on the last page
         * @example eyJrIjoiMDFKREEzWjlSNVc3QzJLOE40VDZYMEIxUUYifQ
         */
        NextCursor: string | null;
        /**
         * @description 行政层级 · Administrative level
         * @enum {string}
         */
        TenantLevel: "province" | "city" | "district" | "township";
        /** @description 一个部门租户 · A department tenant */
        Tenant: {
            readonly id: components["schemas"]["TenantId"];
            name: components["schemas"]["ResourceName"];
            displayName: components["schemas"]["LocalizedText"];
            /** @description 上级租户；省级根租户为 `null` · Parent tenant; `null` for a province root */
            parentId: components["schemas"]["TenantId"] | null;
            /**
             * @description 全部祖先的 ID，根在前，不含自身 · Ids of every ancestor, root first, excluding the tenant itself
             * @example [
             *       "ten_01JC8Q2M4V6X8Z0B2D4F6H8K0M"
             *     ]
             */
            readonly path: components["schemas"]["TenantId"][];
            level: components["schemas"]["TenantLevel"];
            /** @description 行政区划代码（GB/T 2260，6 位）· Administrative division code (GB/T 2260, 6 digits) */
            regionCode: components["schemas"]["RegionCode"] | null;
            labels: components["schemas"]["Labels"];
            /**
             * Format: date-time
             * @example 2026-11-26T08:00:00Z
             */
            readonly createdAt: string;
            /**
             * Format: date-time
             * @example 2026-11-26T08:00:00Z
             */
            readonly updatedAt: string;
        };
        /**
         * @description 行政区划代码（GB/T 2260，6 位数字）· Administrative division code (GB/T 2260, 6 digits)
         * @example 330100
         */
        RegionCode: string;
        TenantCreate: {
            /** @description 在同一上级下唯一 · Unique among siblings */
            name: components["schemas"]["ResourceName"];
            displayName: components["schemas"]["LocalizedText"];
            /** @description 上级租户；`null` 创建省级根租户（仅 platform-admin）· Parent tenant; `null` creates a province root (platform-admin only) */
            parentId: components["schemas"]["TenantId"] | null;
            level: components["schemas"]["TenantLevel"];
            regionCode?: components["schemas"]["RegionCode"];
            labels?: components["schemas"]["Labels"];
            /** @description 初始配额；省略时全部继承 · Initial quota; everything is inherited when omitted */
            quota?: components["schemas"]["QuotaLimits"];
        };
        TenantUpdate: {
            displayName?: components["schemas"]["LocalizedText"];
            labels?: components["schemas"]["LabelsPatch"];
        };
        TenantList: {
            data: components["schemas"]["Tenant"][];
            nextCursor: components["schemas"]["NextCursor"];
        };
        /** @description 配额限额；`null` 表示继承上级 · Quota limits; `null` inherits the parent's */
        QuotaLimits: {
            /**
             * @description 服务实例数 · Service instances
             * @example 20
             */
            instances: number | null;
            /**
             * @description 应用数 · Apps
             * @example 10
             */
            apps: number | null;
            /**
             * @description 应用副本和实例的内存总和（MiB）· Memory of app replicas and instances together (MiB)
             * @example 65536
             */
            memoryMb: number | null;
            /**
             * @description 实例存储总和（MiB）· Storage of instances together (MiB)
             * @example 1048576
             */
            storageMb: number | null;
            /**
             * @description 应用副本总数（按自动伸缩和计划的上限计）· App replicas in total (counting autoscaling and schedule maximums)
             * @example 100
             */
            replicas: number | null;
        };
        /**
         * @description 租户的配额。分配资源时必须同时满足该租户及其每个祖先的有效限额，用量按各自子树统计。
         *
         *     A tenant's quota. An allocation must fit the effective limits of the tenant and of every
         *     ancestor, each counting the usage of its own subtree.
         */
        Quota: {
            tenantId: components["schemas"]["TenantId"];
            /** @description 租户自身设置的限额，`null` 表示继承 · The tenant's own limits; `null` means inherited */
            limits: components["schemas"]["QuotaLimits"];
            /** @description 继承后的有效限额，此处各项都不为 `null`（根租户的缺省值来自平台配置）· Effective limits after inheritance; never `null` here (defaults for a root come from the platform configuration) */
            effective: components["schemas"]["QuotaLimits"];
        };
        /** @description 已用资源 · Resources in use */
        QuotaUsage: {
            /** @example 7 */
            instances: number;
            /** @example 3 */
            apps: number;
            /** @example 24576 */
            memoryMb: number;
            /** @example 307200 */
            storageMb: number;
            /** @example 14 */
            replicas: number;
        };
        /** @description 一个服务的用量 · Usage of one service */
        ServiceUsage: {
            serviceId: components["schemas"]["ServiceId"];
            /** @example 3 */
            instances: number;
            /** @example 204800 */
            storageMb: number;
        };
        TenantUsage: {
            tenantId: components["schemas"]["TenantId"];
            /**
             * Format: date-time
             * @description 统计时间 · When the usage was measured
             * @example 2026-11-26T08:00:00Z
             */
            asOf: string;
            /** @description 是否计入了全部下级租户 · Whether every descendant tenant is counted */
            includesDescendants: boolean;
            used: components["schemas"]["QuotaUsage"];
            /** @description 租户的有效限额（各项都不为 `null`）· The tenant's effective limits (never `null`) */
            limits: components["schemas"]["QuotaLimits"];
            /** @description 按服务的实例用量，按 `serviceId` 升序 · Instance usage per service, in ascending `serviceId` order */
            byService: components["schemas"]["ServiceUsage"][];
        };
        /** @description 成员对应的主体 · The principal a member refers to */
        MemberPrincipal: {
            /**
             * @description 用户（以邮箱标识）或 OIDC 主体 · A user (identified by email) or an OIDC subject
             * @enum {string}
             */
            type: "user" | "oidc";
            /**
             * @description 用户的邮箱，或 OIDC 主体的 `sub` · The user's email, or the OIDC subject's `sub`
             * @example li.wei@hz-tax.gov.cn
             */
            id: string;
        };
        /** @description 主体在租户子树上的角色绑定 · A principal's role binding on a tenant subtree */
        Member: {
            readonly id: components["schemas"]["MemberId"];
            tenantId: components["schemas"]["TenantId"];
            principal: components["schemas"]["MemberPrincipal"];
            /**
             * @description 显示名称 · Display name
             * @example 李伟
             */
            displayName: string | null;
            role: components["schemas"]["Role"];
            /**
             * Format: date-time
             * @example 2026-11-26T08:00:00Z
             */
            readonly createdAt: string;
            /**
             * Format: date-time
             * @example 2026-11-26T08:00:00Z
             */
            readonly updatedAt: string;
            /**
             * @description 添加该成员的主体 ID · Id of the principal that added the member
             * @example zhao.min@zj-tax.gov.cn
             */
            readonly createdBy: string;
        };
        MemberCreate: {
            principal: components["schemas"]["MemberPrincipal"];
            /**
             * @description 显示名称 · Display name
             * @example 李伟
             */
            displayName?: string;
            role: components["schemas"]["Role"];
        };
        MemberUpdate: {
            role: components["schemas"]["Role"];
        };
        MemberList: {
            data: components["schemas"]["Member"][];
            nextCursor: components["schemas"]["NextCursor"];
        };
        /** @description 平台令牌（不含密钥）· A platform token (without its secret) */
        Token: {
            readonly id: components["schemas"]["TokenId"];
            /**
             * @description 用途说明 · What the token is for
             * @example etax-ci-deploy
             */
            name: string;
            tenantId: components["schemas"]["TenantId"];
            role: components["schemas"]["Role"];
            /**
             * @description 密钥中 `zw_` 之后的前 8 个字符，用于识别 · The first 8 characters after `zw_` in the secret, for recognition
             * @example 7t0VG76N
             */
            readonly prefix: string;
            /**
             * Format: date-time
             * @example 2026-11-26T08:00:00Z
             */
            readonly createdAt: string;
            /**
             * Format: date-time
             * @description 过期时间 · When the token expires
             * @example 2027-02-24T08:00:00Z
             */
            expiresAt: string;
            /**
             * Format: date-time
             * @description 最近一次使用的时间（精确到分钟）；从未使用为 `null` · Last use (to the minute); `null` if never used
             * @example 2026-11-26T09:14:00Z
             */
            readonly lastUsedAt: string | null;
            /**
             * Format: date-time
             * @description 吊销时间；未吊销为 `null` · When it was revoked; `null` if it wasn't
             * @example null
             */
            readonly revokedAt: string | null;
            /**
             * @description 创建该令牌的主体 ID · Id of the principal that created the token
             * @example zhao.min@zj-tax.gov.cn
             */
            readonly createdBy: string;
        };
        /** @description 新建的令牌及其密钥 · A new token with its secret */
        TokenWithSecret: components["schemas"]["Token"] & {
            /**
             * @description 令牌密钥，只在创建时返回这一次；请立即保存到密钥管理系统中，平台无法再次找回 · The token secret, returned this once at creation; store it in a secret manager right away, the platform can't show it again
             * @example zw_7t0VG76NGrp4esDMCyoB3oN55xtAXvoA_Kq2Lk9Wd3hPz
             */
            readonly secret: string;
        };
        TokenCreate: {
            /**
             * @description 用途说明 · What the token is for
             * @example etax-ci-deploy
             */
            name: string;
            tenantId: components["schemas"]["TenantId"];
            /**
             * @description 令牌的角色；三个管理员角色不能授予令牌 · The token's role; the three administrator roles can't be given to tokens
             * @enum {string}
             */
            role: "tenant-admin" | "developer" | "auditor";
            /**
             * Format: date-time
             * @description 过期时间，至多 366 天之后；不能与 `expiresInDays` 同时给出 · Expiry, at most 366 days ahead; not together with `expiresInDays`
             * @example 2027-02-24T08:00:00Z
             */
            expiresAt?: string;
            /**
             * @description 有效天数；不能与 `expiresAt` 同时给出；都省略时为 90 · Days of validity; not together with `expiresAt`; 90 when both are left out
             * @example 90
             */
            expiresInDays?: number;
        };
        TokenList: {
            data: components["schemas"]["Token"][];
            nextCursor: components["schemas"]["NextCursor"];
        };
        /**
         * @description 实例状态 · Instance state: `provisioning` → `ready` ⇄ `updating`; `ready` → `deprovisioning` → `deleted`; `failed` when provisioning fails (the last operation's `error` says why)
         * @enum {string}
         */
        InstanceState: "provisioning" | "ready" | "updating" | "deprovisioning" | "deleted" | "failed";
        /** @description 一个服务实例 · A service instance */
        Instance: {
            readonly id: components["schemas"]["InstanceId"];
            tenantId: components["schemas"]["TenantId"];
            name: components["schemas"]["ResourceName"];
            service: components["schemas"]["ServiceId"];
            plan: components["schemas"]["PlanId"];
            /**
             * @description 最近一次被接受的参数；密码类参数不回显 · The parameters last accepted; secret parameters are never echoed
             * @example {
             *       "version": "16",
             *       "extensions": [
             *         "pg_trgm"
             *       ]
             *     }
             */
            parameters: {
                [key: string]: unknown;
            };
            labels: components["schemas"]["Labels"];
            readonly state: components["schemas"]["InstanceState"];
            /**
             * @description 实例所在的引擎池；尚未分配时为 `null` · The engine pool hosting the instance; `null` until placed
             * @example postgresql-embedded
             */
            readonly pool: string | null;
            /**
             * Format: uri
             * @description 服务管理界面；服务不提供时为 `null` · Management console of the service; `null` when it has none
             * @example null
             */
            readonly dashboardUrl: string | null;
            /** @description 最近一次异步操作 · The latest asynchronous operation */
            readonly lastOperation: components["schemas"]["OperationRef"] | null;
            /**
             * Format: date-time
             * @example 2026-11-26T08:00:00Z
             */
            readonly createdAt: string;
            /**
             * Format: date-time
             * @example 2026-11-26T08:03:12Z
             */
            readonly updatedAt: string;
        };
        InstanceCreate: {
            /** @description 所属租户；省略时为调用方的默认租户 · Owning tenant; the caller's default tenant when left out */
            tenantId?: components["schemas"]["TenantId"];
            /** @description 在租户内唯一 · Unique within the tenant */
            name: components["schemas"]["ResourceName"];
            service: components["schemas"]["ServiceId"];
            plan: components["schemas"]["PlanId"];
            /**
             * @description 开通参数，按规格的 `schemas.instanceCreate` 校验 · Provisioning parameters, validated by the plan's `schemas.instanceCreate`
             * @default {}
             */
            parameters?: {
                [key: string]: unknown;
            };
            labels?: components["schemas"]["Labels"];
        };
        InstanceUpdate: {
            /** @description 新规格（服务须 `planUpdateable`）· The new plan (the service must be `planUpdateable`) */
            plan?: components["schemas"]["PlanId"];
            /** @description 要修改的参数，按目标规格的 `schemas.instanceUpdate` 校验 · Parameters to change, validated by the target plan's `schemas.instanceUpdate` */
            parameters?: {
                [key: string]: unknown;
            };
            labels?: components["schemas"]["LabelsPatch"];
        };
        /** @description 实例用量；只出现适用于该服务的指标 · Instance usage; only metrics that apply to the service are present */
        InstanceUsage: {
            instanceId: components["schemas"]["InstanceId"];
            /**
             * Format: date-time
             * @description 引擎上报的时间 · When the engine reported it
             * @example 2026-11-26T08:00:00Z
             */
            asOf: string;
            /**
             * @description 已用存储（MiB）· Storage used (MiB)
             * @example 20480
             */
            storageMb: number;
            /**
             * @description 当前连接数 · Current connections
             * @example 37
             */
            connections?: number;
            /**
             * @description 已用内存（MiB）· Memory used (MiB)
             * @example 2816
             */
            memoryMb?: number;
            /**
             * @description 队列中待消费的消息数（消息类服务）· Messages waiting in queues (messaging services)
             * @example 0
             */
            messages?: number;
        };
        InstanceList: {
            data: components["schemas"]["Instance"][];
            nextCursor: components["schemas"]["NextCursor"];
        };
        /**
         * @description 绑定状态 · Binding state
         * @enum {string}
         */
        BindingState: "creating" | "ready" | "rotating" | "deleting" | "deleted" | "failed";
        /** @description 一个实例上的一组凭据 · A set of credentials for an instance */
        Binding: {
            readonly id: components["schemas"]["BindingId"];
            tenantId: components["schemas"]["TenantId"];
            instanceId: components["schemas"]["InstanceId"];
            /** @description 使用该绑定的应用；供外部工具使用时为 `null` · The app using the binding; `null` for an external tool */
            appId: components["schemas"]["AppId"] | null;
            name: components["schemas"]["ResourceName"];
            readonly state: components["schemas"]["BindingState"];
            /**
             * @description 当前凭据版本，每次轮换加一 · Current credentials version, plus one per rotation
             * @example 1
             */
            readonly credentialsVersion: number;
            /**
             * Format: date-time
             * @description 最近一次轮换完成的时间；从未轮换为 `null` · When the last rotation finished; `null` if never rotated
             * @example null
             */
            readonly rotatedAt: string | null;
            /** @description 最近一次异步操作 · The latest asynchronous operation */
            readonly lastOperation: components["schemas"]["OperationRef"] | null;
            /**
             * Format: date-time
             * @example 2026-11-26T08:10:00Z
             */
            readonly createdAt: string;
            /**
             * Format: date-time
             * @example 2026-11-26T08:10:04Z
             */
            readonly updatedAt: string;
        };
        BindingCreate: {
            instanceId: components["schemas"]["InstanceId"];
            /** @description 在实例内唯一；也是注入的环境变量前缀和文件目录名 · Unique per instance; also the prefix of injected variables and the name of the file directory */
            name: components["schemas"]["ResourceName"];
            /** @description 要注入凭据的应用，须与实例同租户 · The app to inject the credentials into, in the instance's tenant */
            appId?: components["schemas"]["AppId"];
            /**
             * @description 绑定参数，按规格的 `schemas.bindingCreate` 校验（如只读账号）· Binding parameters, validated by the plan's `schemas.bindingCreate` (such as a read-only account)
             * @example {
             *       "readOnly": true
             *     }
             */
            parameters?: {
                [key: string]: unknown;
            };
        };
        BindingRotate: {
            /**
             * @description 旧凭据继续有效的秒数 · Seconds the previous credentials stay valid
             * @default 0
             * @example 600
             */
            gracePeriodSeconds?: number;
        };
        /** @description 绑定凭据明文 · A binding's credentials in clear text */
        BindingCredentials: {
            bindingId: components["schemas"]["BindingId"];
            /**
             * @description 凭据版本，与 `Binding.credentialsVersion` 对应 · Credentials version, matching `Binding.credentialsVersion`
             * @example 1
             */
            version: number;
            /**
             * @description 凭据，结构由服务的 `credentialsSchema` 给出；常见键有 `uri`、`host`、`port`、`username`、`password`、`database`、`tls`。
             *
             *     The credentials, shaped by the service's `credentialsSchema`; common keys are `uri`,
             *     `host`, `port`, `username`, `password`, `database` and `tls`.
             * @example {
             *       "uri": "postgresql://u_etax_db_7f3k:Vq8xN2rT6yLp4sHw@pg-embedded.zhengwu.internal:5432/etax_db?sslmode=require",
             *       "host": "pg-embedded.zhengwu.internal",
             *       "port": 5432,
             *       "database": "etax_db",
             *       "username": "u_etax_db_7f3k",
             *       "password": "Vq8xN2rT6yLp4sHw",
             *       "tls": {
             *         "mode": "require",
             *         "gm": false
             *       }
             *     }
             */
            credentials: {
                [key: string]: unknown;
            };
            /**
             * Format: date-time
             * @description 本版本凭据的签发时间 · When this version was issued
             * @example 2026-11-26T08:10:04Z
             */
            issuedAt: string;
        };
        BindingList: {
            data: components["schemas"]["Binding"][];
            nextCursor: components["schemas"]["NextCursor"];
        };
        /**
         * @description 异步操作类型 · Operation type
         * @enum {string}
         */
        OperationType: "instance.provision" | "instance.update" | "instance.deprovision" | "binding.create" | "binding.rotate" | "binding.delete" | "release.build" | "release.deploy" | "app.rollback" | "app.restart" | "app.delete";
        /**
         * @description `pending` → `running` → `succeeded` | `failed` | `canceled`；后三者为终态 · the last three are final
         * @enum {string}
         */
        OperationState: "pending" | "running" | "succeeded" | "failed" | "canceled";
        /** @description 操作作用的资源 · The resource the operation acts on */
        OperationTarget: {
            /** @enum {string} */
            type: "instance" | "binding" | "app" | "release";
            id: components["schemas"]["OperationTargetId"];
        };
        OperationProgress: {
            /**
             * @description 估计的完成百分比 · Estimated percentage done
             * @example 40
             */
            percent: number;
            /**
             * @description 当前步骤的机器可读名称 · Machine-readable name of the current step
             * @example create-replicas
             */
            step: string | null;
            /** @description 面向用户的进度说明 · Progress message for users */
            message: components["schemas"]["LocalizedText"] | null;
        };
        /** @description 一个异步操作 · An asynchronous operation */
        Operation: {
            readonly id: components["schemas"]["OperationId"];
            tenantId: components["schemas"]["TenantId"];
            type: components["schemas"]["OperationType"];
            state: components["schemas"]["OperationState"];
            target: components["schemas"]["OperationTarget"];
            progress: components["schemas"]["OperationProgress"];
            /**
             * @description 已执行的尝试次数（平台会自动重试暂时性故障）· Attempts so far (the platform retries transient failures)
             * @example 1
             */
            attempts: number;
            /** @description 失败原因；未失败时为 `null` · Why it failed; `null` unless it failed */
            error: components["schemas"]["Problem"] | null;
            /**
             * Format: date-time
             * @example 2026-11-26T08:00:00Z
             */
            createdAt: string;
            /**
             * Format: date-time
             * @example 2026-11-26T08:00:01Z
             */
            startedAt: string | null;
            /**
             * Format: date-time
             * @example null
             */
            finishedAt: string | null;
            /**
             * Format: date-time
             * @example 2026-11-26T08:01:30Z
             */
            updatedAt: string;
        };
        OperationList: {
            data: components["schemas"]["Operation"][];
            nextCursor: components["schemas"]["NextCursor"];
        };
        /**
         * @description 应用状态 · App state: `created` (no release yet), `deploying`, `running`, `degraded` (some replicas unhealthy), `stopped` (every process at 0 replicas), `failed`, `deleting`, `deleted`
         * @enum {string}
         */
        AppState: "created" | "deploying" | "running" | "degraded" | "stopped" | "failed" | "deleting" | "deleted";
        /** @description 指向应用 web 进程的路由 · A route to the app's web process */
        Route: {
            /**
             * Format: hostname
             * @example etax-portal.apps.zhengwu.gov.cn
             */
            host: string;
            /** @example / */
            path: string;
        };
        /** @description 一个进程类型的当前状态 · Current state of one process type */
        AppProcess: {
            type: components["schemas"]["ProcessType"];
            /**
             * @description 期望副本数 · Desired replicas
             * @example 4
             */
            replicas: number;
            /**
             * @description 通过健康检查的副本数 · Replicas passing health checks
             * @example 4
             */
            ready: number;
            /**
             * @description 每个副本的内存（MiB）· Memory per replica (MiB)
             * @example 1024
             */
            memoryMb: number;
        };
        /**
         * @description 普通配置变量（非密钥），覆盖清单中的同名变量；`PORT`、`HOST`、`SERVICE_BINDING_ROOT` 和 `ZHENGWU_` 开头的名称由平台保留 · Plain config vars (not secrets), overriding the manifest's variables of the same name; `PORT`, `HOST`, `SERVICE_BINDING_ROOT` and names starting with `ZHENGWU_` are reserved by the platform
         * @example {
         *       "LOG_LEVEL": "info",
         *       "TZ": "Asia/Shanghai"
         *     }
         */
        EnvVars: {
            [key: string]: string;
        };
        /**
         * @description 配置变量的合并修补：值为 `null` 的键被删除 · A merge patch of config vars; keys set to `null` are removed
         * @example {
         *       "LOG_LEVEL": "debug",
         *       "LEGACY_GATEWAY_URL": null
         *     }
         */
        EnvPatch: {
            [key: string]: string | null;
        };
        /** @description 一个应用 · An app */
        App: {
            readonly id: components["schemas"]["AppId"];
            tenantId: components["schemas"]["TenantId"];
            name: components["schemas"]["ResourceName"];
            readonly state: components["schemas"]["AppState"];
            /** @description 正在运行的发布；尚无成功发布时为 `null` · The release being served; `null` before the first successful release */
            readonly currentReleaseId: components["schemas"]["ReleaseId"] | null;
            /**
             * Format: uri
             * @description 应用的主 URL；没有 web 进程时为 `null` · The app's main URL; `null` without a web process
             * @example https://etax-portal.apps.zhengwu.gov.cn/
             */
            readonly url: string | null;
            readonly routes: components["schemas"]["Route"][];
            readonly processes: components["schemas"]["AppProcess"][];
            env: components["schemas"]["EnvVars"];
            labels: components["schemas"]["Labels"];
            /** @description 最近一次异步操作 · The latest asynchronous operation */
            readonly lastOperation: components["schemas"]["OperationRef"] | null;
            /**
             * Format: date-time
             * @example 2026-11-26T08:20:00Z
             */
            readonly createdAt: string;
            /**
             * Format: date-time
             * @example 2026-11-26T09:02:41Z
             */
            readonly updatedAt: string;
        };
        AppCreate: {
            /** @description 所属租户；省略时为调用方的默认租户 · Owning tenant; the caller's default tenant when left out */
            tenantId?: components["schemas"]["TenantId"];
            /** @description 在租户内唯一，也用于默认域名 · Unique within the tenant; also used in the default host name */
            name: components["schemas"]["ResourceName"];
            labels?: components["schemas"]["Labels"];
        };
        AppUpdate: {
            labels?: components["schemas"]["LabelsPatch"];
            env?: components["schemas"]["EnvPatch"];
        };
        AppRestart: {
            /** @description 只重启该进程；省略时重启全部 · Restart only this process; every process when left out */
            process?: components["schemas"]["ProcessType"];
        };
        AppList: {
            data: components["schemas"]["App"][];
            nextCursor: components["schemas"]["NextCursor"];
        };
        /** @description 一个已上传的源码包 · An uploaded source archive */
        Source: {
            readonly id: components["schemas"]["SourceId"];
            appId: components["schemas"]["AppId"];
            /** @description 服务器计算的 SHA-256 · SHA-256 computed by the server */
            sha256: components["schemas"]["Sha256"];
            /**
             * @description 字节数 · Size in bytes
             * @example 4718592
             */
            sizeBytes: number;
            /**
             * Format: date-time
             * @example 2026-11-26T08:30:00Z
             */
            readonly createdAt: string;
        };
        /**
         * @description SHA-256 摘要（64 位小写十六进制）· SHA-256 digest (64 lowercase hex digits)
         * @example 9636ef29394fbd5cb1e479ba95dadee0acbc92c82382c42ffdbeaca91cb8e2cd
         */
        Sha256: string;
        /**
         * @description 发布状态 · Release state: `pending` → `building` → `releasing` (release command) → `deploying` → `succeeded` | `failed`; `superseded` when a newer release started before this one finished. Rollbacks skip `building`.
         * @enum {string}
         */
        ReleaseState: "pending" | "building" | "releasing" | "deploying" | "succeeded" | "failed" | "superseded";
        /** @description 应用的一个发布 · A release of an app */
        Release: {
            readonly id: components["schemas"]["ReleaseId"];
            appId: components["schemas"]["AppId"];
            tenantId: components["schemas"]["TenantId"];
            /**
             * @description 应用内的版本号，从 1 开始连续递增 · Version number within the app, counting up from 1
             * @example 3
             */
            readonly version: number;
            readonly state: components["schemas"]["ReleaseState"];
            /** @description 构建所用的源码包；回滚时为 `null` · The source it was built from; `null` for a rollback */
            sourceId: components["schemas"]["SourceId"] | null;
            /** @description 构建产物的 SHA-256；构建完成前为 `null` · SHA-256 of the built artifact; `null` until built */
            readonly artifactSha256: components["schemas"]["Sha256"] | null;
            /** @description 回滚的目标发布；普通发布为 `null` · The release this one rolls back to; `null` for a regular release */
            rollbackOf: components["schemas"]["ReleaseId"] | null;
            /**
             * @description 发布说明 · Release notes
             * @example 申报表单校验规则更新 · Filing form validation rules
             */
            description: string | null;
            /** @description 发布所用的清单（解析后的 `zhengwu.yaml`）· The manifest of the release (the parsed `zhengwu.yaml`) */
            manifest: {
                [key: string]: unknown;
            };
            /** @description 失败原因；未失败时为 `null` · Why it failed; `null` unless it failed */
            failure: components["schemas"]["Problem"] | null;
            /** @description 当前或最近阶段的异步操作 · The operation of the current or latest stage */
            readonly lastOperation: components["schemas"]["OperationRef"] | null;
            /**
             * Format: date-time
             * @example 2026-11-26T08:31:00Z
             */
            readonly createdAt: string;
            /**
             * Format: date-time
             * @description 进入终态（succeeded、failed、superseded）的时间 · When it reached a final state (succeeded, failed, superseded)
             * @example 2026-11-26T08:36:42Z
             */
            readonly finishedAt: string | null;
        };
        ReleaseCreate: {
            /** @description 本应用已上传的源码包 · A source uploaded to this app */
            sourceId: components["schemas"]["SourceId"];
            /**
             * @description 解析后的 `zhengwu.yaml` 清单（`runtime`、`build`、`processes`、`env`、`resources`、`routes`、`deploy` 等），按平台的清单 JSON Schema 校验。
             *
             *     The parsed `zhengwu.yaml` manifest (`runtime`, `build`, `processes`, `env`,
             *     `resources`, `routes`, `deploy`, …), validated against the platform's manifest JSON Schema.
             */
            manifest: {
                [key: string]: unknown;
            };
            /**
             * @description 发布说明 · Release notes
             * @example 申报表单校验规则更新 · Filing form validation rules
             */
            description?: string;
        };
        Rollback: {
            /** @description 要回滚到的发布，须为本应用中曾经成功的发布 · The release to roll back to; one of this app's releases that succeeded */
            releaseId: components["schemas"]["ReleaseId"];
        };
        ReleaseList: {
            data: components["schemas"]["Release"][];
            nextCursor: components["schemas"]["NextCursor"];
        };
        /** @description 一个进程类型的规模 · Scale of one process type */
        ProcessScale: {
            type: components["schemas"]["ProcessType"];
            /**
             * @description 期望副本数 · Desired replicas
             * @example 4
             */
            replicas: number;
            /**
             * @description 每个副本的内存（MiB）· Memory per replica (MiB)
             * @example 1024
             */
            memoryMb: number;
        };
        /** @description 应用各进程的规模 · Scale of the app's processes */
        Scale: {
            appId: components["schemas"]["AppId"];
            processes: components["schemas"]["ProcessScale"][];
        };
        ScaleUpdate: {
            /** @description 要设置的进程，每个 `type` 至多出现一次 · Processes to set; each `type` at most once */
            processes: {
                type: components["schemas"]["ProcessType"];
                /**
                 * @description 期望副本数 · Desired replicas
                 * @example 6
                 */
                replicas: number;
                /**
                 * @description 每个副本的内存（MiB）；省略时不变 · Memory per replica (MiB); unchanged when left out
                 * @example 1024
                 */
                memoryMb?: number;
            }[];
        };
        /** @description 自动伸缩的目标：`cpu` 和 `memory` 为副本平均利用率百分比（1–100），`requestsPerSecond` 为每副本每秒请求数 · What to hold: average utilisation per replica in percent (1–100) for `cpu` and `memory`, requests per second per replica for `requestsPerSecond` */
        AutoscalingTarget: {
            /** @enum {string} */
            metric: "cpu" | "memory" | "requestsPerSecond";
            /** @example 70 */
            value: number;
        };
        /** @description 两次伸缩之间的最短间隔 · Minimum time between two scaling steps */
        AutoscalingCooldown: {
            /**
             * @description 扩容后至少等待的秒数 · Seconds to wait after scaling up
             * @example 60
             */
            scaleUpSeconds: number;
            /**
             * @description 缩容后至少等待的秒数 · Seconds to wait after scaling down
             * @example 300
             */
            scaleDownSeconds: number;
        };
        /** @description 应用的自动伸缩策略 · The app's autoscaling policy */
        AutoscalingPolicy: {
            appId: components["schemas"]["AppId"];
            /** @description 停用时保留策略但不伸缩 · When disabled the policy is kept but doesn't scale */
            enabled: boolean;
            process: components["schemas"]["ProcessType"];
            /** @example 2 */
            minReplicas: number;
            /** @example 20 */
            maxReplicas: number;
            target: components["schemas"]["AutoscalingTarget"];
            cooldown: components["schemas"]["AutoscalingCooldown"];
            /**
             * Format: date-time
             * @example 2026-11-26T09:00:00Z
             */
            readonly updatedAt: string;
        };
        AutoscalingPolicyUpdate: {
            /** @default true */
            enabled?: boolean;
            /**
             * @description 伸缩的进程 · The process to scale
             * @default web
             */
            process?: components["schemas"]["ProcessType"];
            /**
             * @description 不大于 `maxReplicas` · Not above `maxReplicas`
             * @example 2
             */
            minReplicas: number;
            /** @example 20 */
            maxReplicas: number;
            target: components["schemas"]["AutoscalingTarget"];
            /** @description 省略时扩容 60 秒、缩容 300 秒 · 60 s after scaling up and 300 s after scaling down when left out */
            cooldown?: components["schemas"]["AutoscalingCooldown"];
        };
        /** @description 伸缩计划（按 `kind` 区分）· A scaling schedule, by `kind` */
        Schedule: components["schemas"]["RecurringSchedule"] | components["schemas"]["SpecificDateSchedule"];
        /** @description 周期性时间窗，如工作日办公时间 · A recurring window, such as office hours on weekdays */
        RecurringSchedule: {
            readonly id: components["schemas"]["ScheduleId"];
            appId: components["schemas"]["AppId"];
            name: components["schemas"]["ResourceName"];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "recurring";
            process: components["schemas"]["ProcessType"];
            timezone: components["schemas"]["TimeZone"];
            /**
             * @description 每次时间窗开始的时刻 · When each window starts
             * @example 0 8 * * 1-5
             */
            start: components["schemas"]["CronExpression"];
            /**
             * @description 每次时间窗结束的时刻 · When each window ends
             * @example 0 18 * * 1-5
             */
            end: components["schemas"]["CronExpression"];
            /** @example 4 */
            minReplicas: number;
            /** @example 12 */
            maxReplicas: number;
            /**
             * @description 时间窗开始时设置的副本数 · Replicas set when a window starts
             * @example 6
             */
            initialReplicas?: number;
            enabled: boolean;
            /**
             * Format: date-time
             * @example 2026-11-26T09:00:00Z
             */
            readonly createdAt: string;
            /**
             * Format: date-time
             * @example 2026-11-26T09:00:00Z
             */
            readonly updatedAt: string;
        };
        /** @description 一次性时间窗，如五月纳税申报高峰 · A one-off window, such as the May tax-filing peak */
        SpecificDateSchedule: {
            readonly id: components["schemas"]["ScheduleId"];
            appId: components["schemas"]["AppId"];
            name: components["schemas"]["ResourceName"];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "specificDate";
            process: components["schemas"]["ProcessType"];
            timezone: components["schemas"]["TimeZone"];
            /**
             * Format: date-time
             * @description 时间窗开始 · Start of the window
             * @example 2027-04-30T16:00:00Z
             */
            startAt: string;
            /**
             * Format: date-time
             * @description 时间窗结束，晚于 `startAt` · End of the window, after `startAt`
             * @example 2027-05-31T16:00:00Z
             */
            endAt: string;
            /** @example 8 */
            minReplicas: number;
            /** @example 40 */
            maxReplicas: number;
            /**
             * @description 时间窗开始时设置的副本数 · Replicas set when the window starts
             * @example 12
             */
            initialReplicas?: number;
            enabled: boolean;
            /**
             * Format: date-time
             * @example 2026-11-26T09:05:00Z
             */
            readonly createdAt: string;
            /**
             * Format: date-time
             * @example 2026-11-26T09:05:00Z
             */
            readonly updatedAt: string;
        };
        /** @description 新伸缩计划（按 `kind` 区分）· A new scaling schedule, by `kind` */
        ScheduleCreate: components["schemas"]["RecurringScheduleCreate"] | components["schemas"]["SpecificDateScheduleCreate"];
        /** @description 替换后的完整计划（与创建时相同的结构）· The complete replacement schedule (same shape as at creation) */
        ScheduleUpdate: components["schemas"]["ScheduleCreate"];
        RecurringScheduleCreate: {
            /** @description 在应用内唯一 · Unique within the app */
            name: components["schemas"]["ResourceName"];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "recurring";
            /** @default web */
            process?: components["schemas"]["ProcessType"];
            /** @default Asia/Shanghai */
            timezone?: components["schemas"]["TimeZone"];
            /** @description 每次时间窗开始的时刻 · When each window starts */
            start: components["schemas"]["CronExpression"];
            /** @description 每次时间窗结束的时刻 · When each window ends */
            end: components["schemas"]["CronExpression"];
            /**
             * @description 不大于 `maxReplicas` · Not above `maxReplicas`
             * @example 4
             */
            minReplicas: number;
            /** @example 12 */
            maxReplicas: number;
            /**
             * @description 时间窗开始时设置的副本数，在上下限之内 · Replicas set when a window starts, within the bounds
             * @example 6
             */
            initialReplicas?: number;
            /** @default true */
            enabled?: boolean;
        };
        SpecificDateScheduleCreate: {
            /** @description 在应用内唯一 · Unique within the app */
            name: components["schemas"]["ResourceName"];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "specificDate";
            /** @default web */
            process?: components["schemas"]["ProcessType"];
            /** @default Asia/Shanghai */
            timezone?: components["schemas"]["TimeZone"];
            /**
             * Format: date-time
             * @description 时间窗开始 · Start of the window
             * @example 2027-04-30T16:00:00Z
             */
            startAt: string;
            /**
             * Format: date-time
             * @description 时间窗结束，晚于 `startAt` · End of the window, after `startAt`
             * @example 2027-05-31T16:00:00Z
             */
            endAt: string;
            /**
             * @description 不大于 `maxReplicas` · Not above `maxReplicas`
             * @example 8
             */
            minReplicas: number;
            /** @example 40 */
            maxReplicas: number;
            /**
             * @description 时间窗开始时设置的副本数，在上下限之内 · Replicas set when the window starts, within the bounds
             * @example 12
             */
            initialReplicas?: number;
            /** @default true */
            enabled?: boolean;
        };
        /**
         * @description 5 段 cron 表达式（分 时 日 月 周），按计划的 `timezone` 解释 · A 5-field cron expression (minute hour day month weekday), read in the schedule's `timezone`
         * @example 0 8 * * 1-5
         */
        CronExpression: string;
        /**
         * @description IANA 时区；`recurring` 计划按它解释 cron，`specificDate` 计划按它显示时间 · An IANA time zone; `recurring` schedules read their cron in it, `specificDate` schedules display their window in it
         * @example Asia/Shanghai
         */
        TimeZone: string;
        ScheduleList: {
            data: components["schemas"]["Schedule"][];
            nextCursor: components["schemas"]["NextCursor"];
        };
        /** @description 副本数变化的原因 · Why the replicas changed */
        ScalingReason: {
            /**
             * @description 手动、自动伸缩、计划或发布滚动 · Manual, the autoscaler, a schedule or a rollout
             * @enum {string}
             */
            kind: "manual" | "autoscaler" | "schedule" | "rollout";
            /**
             * @description 触发的指标（`autoscaler`）· The metric that triggered it (`autoscaler`)
             * @enum {string}
             */
            metric?: "cpu" | "memory" | "requestsPerSecond";
            /**
             * @description 观测值（`autoscaler`）· The observed value (`autoscaler`)
             * @example 86.4
             */
            observed?: number;
            /**
             * @description 目标值（`autoscaler`）· The target value (`autoscaler`)
             * @example 70
             */
            target?: number;
            /** @description 触发的计划（`schedule`）· The schedule that triggered it (`schedule`) */
            scheduleId?: components["schemas"]["ScheduleId"];
            message: components["schemas"]["LocalizedText"];
        };
        /** @description 一次副本数变化 · One change of replicas */
        ScalingEvent: {
            readonly id: components["schemas"]["ScalingEventId"];
            appId: components["schemas"]["AppId"];
            process: components["schemas"]["ProcessType"];
            /** @example 4 */
            fromReplicas: number;
            /** @example 8 */
            toReplicas: number;
            reason: components["schemas"]["ScalingReason"];
            /**
             * @description 手动伸缩的主体 ID；平台自动触发时为 `null` · Id of the principal for manual scaling; `null` when the platform did it
             * @example null
             */
            principalId: string | null;
            /**
             * Format: date-time
             * @example 2027-04-30T16:00:02Z
             */
            readonly createdAt: string;
        };
        ScalingEventList: {
            data: components["schemas"]["ScalingEvent"][];
            nextCursor: components["schemas"]["NextCursor"];
        };
        /**
         * @description 日志来源 · Log source
         * @enum {string}
         */
        LogSource: "app" | "build" | "release" | "router" | "platform";
        /** @description 一条日志（SSE `log` 事件的 `data`）· One log entry (the `data` of an SSE `log` event) */
        LogEntry: {
            /**
             * Format: date-time
             * @description 产生时间（毫秒精度）· When it was written (millisecond precision)
             * @example 2026-11-26T08:00:01.204Z
             */
            time: string;
            appId: components["schemas"]["AppId"];
            /** @description 产生该日志的发布；平台日志为 `null` · The release that wrote it; `null` for platform logs */
            releaseId: components["schemas"]["ReleaseId"] | null;
            /**
             * @description 进程类型；非应用来源为来源名（如 `build`、`router`）· The process type; the source name (such as `build` or `router`) for other sources
             * @example web
             */
            process: string;
            /**
             * @description 副本序号；非应用来源为 `null` · Replica index; `null` for other sources
             * @example 0
             */
            replica: number | null;
            source: components["schemas"]["LogSource"];
            /**
             * @description 输出流；平台自身写入的为 `system` · Output stream; `system` for lines written by the platform
             * @enum {string}
             */
            stream: "stdout" | "stderr" | "system";
            /**
             * @description 日志内容（一行）· The log line
             * @example listening on :8080
             */
            message: string;
        };
        /**
         * @description 结果（成功、失败或因权限被拒绝）· Outcome (success, failure, or denied for lack of permission)
         * @enum {string}
         */
        AuditOutcome: "success" | "failure" | "denied";
        /**
         * @description 动作，形如 `<资源>.<动词>` · The action, `<resource>.<verb>`
         * @example instance.create
         * @example binding.credentials.read
         * @example auth.failure
         */
        AuditAction: string;
        /** @description 执行动作的主体 · The principal that acted */
        AuditPrincipal: {
            /** @enum {string} */
            type: "user" | "token" | "oidc" | "system" | "anonymous";
            /**
             * @description 主体 ID；匿名时为 `null` · Principal id; `null` when anonymous
             * @example li.wei@hz-tax.gov.cn
             */
            id: string | null;
            /**
             * @description 当时的显示名称 · Display name at the time
             * @example 李伟
             */
            name: string | null;
        };
        /** @description 动作作用的对象 · What the action was applied to */
        AuditTarget: {
            /**
             * @description 对象类型，如 `tenant`、`instance`、`binding`、`token` · Object type, such as `tenant`, `instance`, `binding`, `token`
             * @example instance
             */
            type: string;
            /** @example ins_01JDA3Z9R5W7C2K8N4T6X0B1QF */
            id: string;
        };
        /**
         * @description 一条审计事件。`hash` = HMAC-SM3(链密钥, 事件除 `hash` 外全部字段（含 `prevHash`）的规范 JSON：键按字典序排列、无空白)，
         *     每条事件的 `prevHash` 是前一条的 `hash`，第一条为 64 个 `0`。
         *
         *     An audit event. `hash` = HMAC-SM3(chain key, canonical JSON of every field of the event but
         *     `hash`, `prevHash` included: keys sorted, no whitespace), lower-case hex; each event's
         *     `prevHash` is the previous event's `hash`, the first one's is 64 `0`s.
         */
        AuditEvent: {
            readonly id: components["schemas"]["AuditEventId"];
            /**
             * @description 链中的序号，连续递增 · Position in the chain, without gaps
             * @example 1048576
             */
            sequence: number;
            /**
             * Format: date-time
             * @example 2026-11-26T08:00:00Z
             */
            occurredAt: string;
            principal: components["schemas"]["AuditPrincipal"];
            /** @description 所属租户；平台级事件为 `null` · The tenant concerned; `null` for platform-wide events */
            tenantId: components["schemas"]["TenantId"] | null;
            action: components["schemas"]["AuditAction"];
            /** @description 作用对象；没有时为 `null`（如认证失败）· The object acted on; `null` when there is none (such as an authentication failure) */
            target: components["schemas"]["AuditTarget"] | null;
            outcome: components["schemas"]["AuditOutcome"];
            /**
             * @description 失败或拒绝时的错误码 · The problem code when it failed or was denied
             * @example null
             */
            reason: string | null;
            /**
             * @description 来源 IP（IPv4 或 IPv6）· Source IP address (IPv4 or IPv6)
             * @example 10.31.4.27
             */
            sourceIp: string;
            /** @example zhengwu-sdk/1.0.0 node/20.19.0 */
            userAgent: string | null;
            requestId: components["schemas"]["RequestId"];
            /**
             * @description 前一条事件的 `hash`（64 位十六进制）· The previous event's `hash` (64 hex digits)
             * @example 6515886c4d5386c2653e2fe677662364b9a1a0bf750f44fe4d9da750c7bf28ea
             */
            prevHash: components["schemas"]["Sha256"];
            /**
             * @description 本事件的 HMAC-SM3（64 位十六进制）· This event's HMAC-SM3 (64 hex digits)
             * @example a962c8ccd9bb8fa162858711ceccdb65687877cf6884686bf4e546ca316e6c94
             */
            hash: components["schemas"]["Sha256"];
        };
        AuditEventList: {
            data: components["schemas"]["AuditEvent"][];
            nextCursor: components["schemas"]["NextCursor"];
        };
        AuditVerifyRequest: {
            /**
             * @description 起始序号（含）；默认 1 · First sequence (inclusive); 1 by default
             * @example 1000000
             */
            fromSequence?: number;
            /**
             * @description 结束序号（含）；默认为当前链头 · Last sequence (inclusive); the chain head by default
             * @example 1048576
             */
            toSequence?: number;
        };
        /** @description 链上第一个校验失败的事件 · The first event that failed verification */
        ChainBreak: {
            /** @example 1020417 */
            sequence: number;
            eventId: components["schemas"]["AuditEventId"];
            /**
             * @description `hash_mismatch`：事件内容被改动；`prev_hash_mismatch`：与前一条断链；`sequence_gap`：缺少事件（包括链尾被截断：表的最新序号低于数据库之外的链头锚点，此时 `sequence`/`eventId` 指向锚定的那条已缺失的事件）；`anchor_mismatch`：锚定序号上的事件不是平台锚定的那条（链被回滚或替换），或链头锚点文件未通过 MAC 校验（此时指向链头） · `hash_mismatch`: the event was altered; `prev_hash_mismatch`: the link to the previous event is broken; `sequence_gap`: events are missing (including a truncated tail: the table's newest sequence is below the head anchor kept outside the database; `sequence`/`eventId` then name the anchored, missing event); `anchor_mismatch`: the event at the anchored sequence is not the one the platform anchored (the chain was rolled back or replaced), or the head anchor file failed its MAC check (then at the head)
             * @enum {string}
             */
            reason: "hash_mismatch" | "prev_hash_mismatch" | "sequence_gap" | "anchor_mismatch";
        };
        /** @description 哈希链校验结果 · Result of a hash-chain verification */
        AuditVerification: {
            /** @description 范围内的链完整无损 · The chain is intact over the span */
            valid: boolean;
            /**
             * @description 校验的事件数 · Events checked
             * @example 48577
             */
            checked: number;
            /** @example 1000000 */
            firstSequence: number;
            /** @example 1048576 */
            lastSequence: number;
            /** @description 第一个失败的事件；链完整时为 `null` · The first failing event; `null` when the chain is intact */
            firstBroken: components["schemas"]["ChainBreak"] | null;
            /**
             * @description 范围内最后一条事件的 `hash` · The `hash` of the last event in the span
             * @example 3815dfca00cb314ce1e6e374af09087c0104951950c5a37abfb532282ad20dd1
             */
            headHash: components["schemas"]["Sha256"];
            /** @enum {string} */
            algorithm: "HMAC-SM3";
            /**
             * Format: date-time
             * @example 2026-11-26T10:00:00Z
             */
            verifiedAt: string;
        };
    };
    responses: {
        /** @description 已完成，无响应体 · Done; no content */
        NoContent: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Idempotency-Replayed"?: components["headers"]["Idempotency-Replayed"];
                [name: string]: unknown;
            };
            content?: never;
        };
        /** @description 请求格式错误（`invalid_json`），或查询、路径、请求头参数无效或未知（`bad_request`，`errors` 指出具体参数）· Malformed JSON (`invalid_json`), or an invalid or unknown query, path or header parameter (`bad_request`; `errors` names it) */
        BadRequest: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description 缺少凭据或凭据无效（`unauthenticated`）、已过期（`token_expired`）、已吊销（`token_revoked`）· Missing or invalid credentials (`unauthenticated`), expired (`token_expired`) or revoked (`token_revoked`) */
        Unauthorized: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                /** @description 认证方案 · The authentication scheme */
                "WWW-Authenticate": string;
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description 已认证但角色不足（`forbidden`），或违反三权分立（`separation_of_duties`）· Authenticated but lacking the role (`forbidden`), or breaking the separation of duties (`separation_of_duties`) */
        Forbidden: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description 资源不存在，或调用方无权看到它（`not_found`）；格式错误的路径 ID 也返回 404 · The resource doesn't exist or the caller can't see it (`not_found`); a malformed id in the path also gets 404 */
        NotFound: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description 与资源当前状态冲突：`already_exists`、`not_empty`、`invalid_state`、`idempotency_key_in_use` 或并发修改（`conflict`）· Conflicts with the resource's current state: `already_exists`, `not_empty`, `invalid_state`, `idempotency_key_in_use`, or a concurrent change (`conflict`) */
        Conflict: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "X-Should-Retry": components["headers"]["X-Should-Retry"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description 请求体过大：JSON 请求体最大 1 MiB，源码包最大 200 MiB（`payload_too_large`）· The body is too large: 1 MiB for JSON bodies, 200 MiB for source archives (`payload_too_large`) */
        PayloadTooLarge: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description `Content-Type` 不是本操作接受的类型（`unsupported_media_type`）· The `Content-Type` isn't one this operation accepts (`unsupported_media_type`) */
        UnsupportedMediaType: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /**
         * @description 请求体语义无效：`validation_failed`（`errors` 列出每个问题）、`quota_exceeded`、`plan_not_found`、`service_unavailable`
         *     或 `idempotency_key_reused` · The body is semantically invalid: `validation_failed` (`errors` lists every problem), `quota_exceeded`, `plan_not_found`, `service_unavailable` or `idempotency_key_reused`
         */
        UnprocessableEntity: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description 请求过于频繁（`rate_limited`），按 `Retry-After` 等待后重试 · Too many requests (`rate_limited`); retry after `Retry-After` */
        TooManyRequests: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Retry-After": components["headers"]["Retry-After"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description 服务器内部错误（`internal`），请附 `requestId` 报告 · Internal error (`internal`); report it with the `requestId` */
        InternalError: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description 平台暂时不可用，如正在维护或依赖不可达（`unavailable`），按 `Retry-After` 等待后重试 · The platform is temporarily unavailable, e.g. in maintenance or a dependency is down (`unavailable`); retry after `Retry-After` */
        ServiceUnavailable: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Retry-After": components["headers"]["Retry-After"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
    };
    parameters: {
        /**
         * @description 幂等键（建议使用 UUID v4），保存 24 小时。相同键和相同请求体：重放首次响应并带 `Idempotency-Replayed: true`；
         *     相同键但请求体不同：422 `idempotency_key_reused`；首次请求仍在处理：409 `idempotency_key_in_use`。键按主体隔离。
         *
         *     An idempotency key (a UUID v4 is recommended), kept for 24 h. Same key and same body: the first
         *     response is replayed with `Idempotency-Replayed: true`; same key with a different body: 422
         *     `idempotency_key_reused`; while the first request is still running: 409
         *     `idempotency_key_in_use`. Keys are scoped to the principal.
         */
        IdempotencyKey: string;
        /**
         * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
         *
         *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
         *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
         *     in use.
         */
        RequestId: components["schemas"]["RequestId"];
        /** @description 每页最多条数 · Maximum number of items per page */
        Limit: number;
        /**
         * @description 上一页响应中的 `nextCursor`；不透明，不要解析或自行构造。游标绑定其查询条件：改变过滤参数需从第一页重新开始，
         *     否则返回 400 `bad_request`。
         *
         *     The `nextCursor` of the previous page; opaque, never parse or build one. A cursor is bound to
         *     its query: changing the filters means starting again from the first page, otherwise 400
         *     `bad_request`.
         */
        Cursor: string;
        /** @description 租户 ID · Tenant id */
        TenantId: components["schemas"]["TenantId"];
        /** @description 成员 ID · Member id */
        MemberId: components["schemas"]["MemberId"];
        /** @description 令牌 ID · Token id */
        TokenId: components["schemas"]["TokenId"];
        /** @description 服务实例 ID · Service instance id */
        InstanceId: components["schemas"]["InstanceId"];
        /** @description 绑定 ID · Binding id */
        BindingId: components["schemas"]["BindingId"];
        /** @description 异步操作 ID · Operation id */
        OperationId: components["schemas"]["OperationId"];
        /** @description 应用 ID · App id */
        AppId: components["schemas"]["AppId"];
        /** @description 发布 ID · Release id */
        ReleaseId: components["schemas"]["ReleaseId"];
        /** @description 伸缩计划 ID · Scaling schedule id */
        ScheduleId: components["schemas"]["ScheduleId"];
        /** @description 目录服务 ID · Catalog service id */
        ServiceId: components["schemas"]["ServiceId"];
        /** @description 规格 ID（在服务内唯一）· Plan id (unique within its service) */
        PlanId: components["schemas"]["PlanId"];
        /** @description 审计事件 ID · Audit event id */
        EventId: components["schemas"]["AuditEventId"];
    };
    requestBodies: never;
    headers: {
        /** @description 本次请求的 ID（客户端提供的或服务器生成的）· The id of this request (the client's or a generated one) */
        "X-Request-Id": components["schemas"]["RequestId"];
        /** @description 重试前应等待的秒数 · Seconds to wait before retrying */
        "Retry-After": number;
        /**
         * @description 重试是否可能成功：`true` 表示暂时冲突（`idempotency_key_in_use`、并发修改 `conflict`），`false` 表示重试无用（`already_exists`、`not_empty`、`invalid_state`）。SDK 据此决定是否重试 409。
         *     Whether a retry can succeed: `true` for transient conflicts (`idempotency_key_in_use`, a concurrent change `conflict`), `false` where retrying cannot help (`already_exists`, `not_empty`, `invalid_state`). SDKs use it to decide whether to retry a 409.
         */
        "X-Should-Retry": "true" | "false";
        /** @description 仅当本响应是同一 `Idempotency-Key` 的首次响应的重放时出现 · Present only when this response replays the first response to the same `Idempotency-Key` */
        "Idempotency-Replayed": "true";
        /** @description 新资源的路径 · Path of the new resource */
        Location: string;
        /** @description 含密钥的响应不得缓存 · Responses carrying secrets must not be cached */
        "Cache-Control": "no-store";
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 进程存活 · The process is alive */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            429: components["responses"]["TooManyRequests"];
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 可以接收流量 · Ready to serve traffic */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            /** @description 未就绪（响应体为 `Readiness`，不是 problem+json）· Not ready (the body is a `Readiness`, not a problem) */
            503: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus 文本 · Prometheus exposition text */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "text/plain; version=0.0.4": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getCurrentPrincipal: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 当前主体 · The current principal */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Principal"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listServices: {
        parameters: {
            query?: {
                /** @description `schemas`：同时返回每个服务的 `credentialsSchema` 和每个规格的 `schemas` · `schemas`: also return each service's `credentialsSchema` and each plan's `schemas` */
                expand?: "schemas";
                /** @description 只返回该类别的服务 · Only services of this category */
                category?: components["schemas"]["ServiceCategory"];
                /** @description `true` 只返回当前可开通的服务，`false` 只返回不可开通的服务 · `true`: only services you can provision now; `false`: only the others */
                available?: boolean;
                /** @description 每页最多条数 · Maximum number of items per page */
                limit?: components["parameters"]["Limit"];
                /**
                 * @description 上一页响应中的 `nextCursor`；不透明，不要解析或自行构造。游标绑定其查询条件：改变过滤参数需从第一页重新开始，
                 *     否则返回 400 `bad_request`。
                 *
                 *     The `nextCursor` of the previous page; opaque, never parse or build one. A cursor is bound to
                 *     its query: changing the filters means starting again from the first page, otherwise 400
                 *     `bad_request`.
                 */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 一页服务 · A page of services */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServiceList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getService: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 目录服务 ID · Catalog service id */
                serviceId: components["parameters"]["ServiceId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 服务 · The service */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Service"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listPlans: {
        parameters: {
            query?: {
                /** @description 每页最多条数 · Maximum number of items per page */
                limit?: components["parameters"]["Limit"];
                /**
                 * @description 上一页响应中的 `nextCursor`；不透明，不要解析或自行构造。游标绑定其查询条件：改变过滤参数需从第一页重新开始，
                 *     否则返回 400 `bad_request`。
                 *
                 *     The `nextCursor` of the previous page; opaque, never parse or build one. A cursor is bound to
                 *     its query: changing the filters means starting again from the first page, otherwise 400
                 *     `bad_request`.
                 */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 目录服务 ID · Catalog service id */
                serviceId: components["parameters"]["ServiceId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 一页规格 · A page of plans */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlanList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getPlan: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 目录服务 ID · Catalog service id */
                serviceId: components["parameters"]["ServiceId"];
                /** @description 规格 ID（在服务内唯一）· Plan id (unique within its service) */
                planId: components["parameters"]["PlanId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 规格 · The plan */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Plan"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listTenants: {
        parameters: {
            query?: {
                /** @description 只返回该租户的直接下级 · Only direct children of this tenant */
                parentId?: components["schemas"]["TenantId"];
                /** @description 只返回该层级的租户 · Only tenants of this level */
                level?: components["schemas"]["TenantLevel"];
                /** @description 每页最多条数 · Maximum number of items per page */
                limit?: components["parameters"]["Limit"];
                /**
                 * @description 上一页响应中的 `nextCursor`；不透明，不要解析或自行构造。游标绑定其查询条件：改变过滤参数需从第一页重新开始，
                 *     否则返回 400 `bad_request`。
                 *
                 *     The `nextCursor` of the previous page; opaque, never parse or build one. A cursor is bound to
                 *     its query: changing the filters means starting again from the first page, otherwise 400
                 *     `bad_request`.
                 */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 一页租户 · A page of tenants */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TenantList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createTenant: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键（建议使用 UUID v4），保存 24 小时。相同键和相同请求体：重放首次响应并带 `Idempotency-Replayed: true`；
                 *     相同键但请求体不同：422 `idempotency_key_reused`；首次请求仍在处理：409 `idempotency_key_in_use`。键按主体隔离。
                 *
                 *     An idempotency key (a UUID v4 is recommended), kept for 24 h. Same key and same body: the first
                 *     response is replayed with `Idempotency-Replayed: true`; same key with a different body: 422
                 *     `idempotency_key_reused`; while the first request is still running: 409
                 *     `idempotency_key_in_use`. Keys are scoped to the principal.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TenantCreate"];
            };
        };
        responses: {
            /** @description 已创建 · Created */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Idempotency-Replayed"?: components["headers"]["Idempotency-Replayed"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tenant"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getTenant: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 租户 ID · Tenant id */
                tenantId: components["parameters"]["TenantId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 租户 · The tenant */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tenant"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    deleteTenant: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键（建议使用 UUID v4），保存 24 小时。相同键和相同请求体：重放首次响应并带 `Idempotency-Replayed: true`；
                 *     相同键但请求体不同：422 `idempotency_key_reused`；首次请求仍在处理：409 `idempotency_key_in_use`。键按主体隔离。
                 *
                 *     An idempotency key (a UUID v4 is recommended), kept for 24 h. Same key and same body: the first
                 *     response is replayed with `Idempotency-Replayed: true`; same key with a different body: 422
                 *     `idempotency_key_reused`; while the first request is still running: 409
                 *     `idempotency_key_in_use`. Keys are scoped to the principal.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 租户 ID · Tenant id */
                tenantId: components["parameters"]["TenantId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["NoContent"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    updateTenant: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键（建议使用 UUID v4），保存 24 小时。相同键和相同请求体：重放首次响应并带 `Idempotency-Replayed: true`；
                 *     相同键但请求体不同：422 `idempotency_key_reused`；首次请求仍在处理：409 `idempotency_key_in_use`。键按主体隔离。
                 *
                 *     An idempotency key (a UUID v4 is recommended), kept for 24 h. Same key and same body: the first
                 *     response is replayed with `Idempotency-Replayed: true`; same key with a different body: 422
                 *     `idempotency_key_reused`; while the first request is still running: 409
                 *     `idempotency_key_in_use`. Keys are scoped to the principal.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 租户 ID · Tenant id */
                tenantId: components["parameters"]["TenantId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TenantUpdate"];
            };
        };
        responses: {
            /** @description 已修改 · Updated */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Idempotency-Replayed"?: components["headers"]["Idempotency-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tenant"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getTenantQuota: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 租户 ID · Tenant id */
                tenantId: components["parameters"]["TenantId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 配额 · The quota */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Quota"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    setTenantQuota: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键（建议使用 UUID v4），保存 24 小时。相同键和相同请求体：重放首次响应并带 `Idempotency-Replayed: true`；
                 *     相同键但请求体不同：422 `idempotency_key_reused`；首次请求仍在处理：409 `idempotency_key_in_use`。键按主体隔离。
                 *
                 *     An idempotency key (a UUID v4 is recommended), kept for 24 h. Same key and same body: the first
                 *     response is replayed with `Idempotency-Replayed: true`; same key with a different body: 422
                 *     `idempotency_key_reused`; while the first request is still running: 409
                 *     `idempotency_key_in_use`. Keys are scoped to the principal.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 租户 ID · Tenant id */
                tenantId: components["parameters"]["TenantId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["QuotaLimits"];
            };
        };
        responses: {
            /** @description 已设置 · Set */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Idempotency-Replayed"?: components["headers"]["Idempotency-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Quota"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getTenantUsage: {
        parameters: {
            query?: {
                /** @description 是否计入全部下级租户 · Whether to count every descendant tenant */
                includeDescendants?: boolean;
            };
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 租户 ID · Tenant id */
                tenantId: components["parameters"]["TenantId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 用量 · The usage */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TenantUsage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listMembers: {
        parameters: {
            query?: {
                /** @description 每页最多条数 · Maximum number of items per page */
                limit?: components["parameters"]["Limit"];
                /**
                 * @description 上一页响应中的 `nextCursor`；不透明，不要解析或自行构造。游标绑定其查询条件：改变过滤参数需从第一页重新开始，
                 *     否则返回 400 `bad_request`。
                 *
                 *     The `nextCursor` of the previous page; opaque, never parse or build one. A cursor is bound to
                 *     its query: changing the filters means starting again from the first page, otherwise 400
                 *     `bad_request`.
                 */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 租户 ID · Tenant id */
                tenantId: components["parameters"]["TenantId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 一页成员 · A page of members */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemberList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    addMember: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键（建议使用 UUID v4），保存 24 小时。相同键和相同请求体：重放首次响应并带 `Idempotency-Replayed: true`；
                 *     相同键但请求体不同：422 `idempotency_key_reused`；首次请求仍在处理：409 `idempotency_key_in_use`。键按主体隔离。
                 *
                 *     An idempotency key (a UUID v4 is recommended), kept for 24 h. Same key and same body: the first
                 *     response is replayed with `Idempotency-Replayed: true`; same key with a different body: 422
                 *     `idempotency_key_reused`; while the first request is still running: 409
                 *     `idempotency_key_in_use`. Keys are scoped to the principal.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 租户 ID · Tenant id */
                tenantId: components["parameters"]["TenantId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MemberCreate"];
            };
        };
        responses: {
            /** @description 已添加 · Added */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Idempotency-Replayed"?: components["headers"]["Idempotency-Replayed"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Member"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getMember: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 租户 ID · Tenant id */
                tenantId: components["parameters"]["TenantId"];
                /** @description 成员 ID · Member id */
                memberId: components["parameters"]["MemberId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成员 · The member */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Member"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    removeMember: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键（建议使用 UUID v4），保存 24 小时。相同键和相同请求体：重放首次响应并带 `Idempotency-Replayed: true`；
                 *     相同键但请求体不同：422 `idempotency_key_reused`；首次请求仍在处理：409 `idempotency_key_in_use`。键按主体隔离。
                 *
                 *     An idempotency key (a UUID v4 is recommended), kept for 24 h. Same key and same body: the first
                 *     response is replayed with `Idempotency-Replayed: true`; same key with a different body: 422
                 *     `idempotency_key_reused`; while the first request is still running: 409
                 *     `idempotency_key_in_use`. Keys are scoped to the principal.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 租户 ID · Tenant id */
                tenantId: components["parameters"]["TenantId"];
                /** @description 成员 ID · Member id */
                memberId: components["parameters"]["MemberId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["NoContent"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    updateMember: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键（建议使用 UUID v4），保存 24 小时。相同键和相同请求体：重放首次响应并带 `Idempotency-Replayed: true`；
                 *     相同键但请求体不同：422 `idempotency_key_reused`；首次请求仍在处理：409 `idempotency_key_in_use`。键按主体隔离。
                 *
                 *     An idempotency key (a UUID v4 is recommended), kept for 24 h. Same key and same body: the first
                 *     response is replayed with `Idempotency-Replayed: true`; same key with a different body: 422
                 *     `idempotency_key_reused`; while the first request is still running: 409
                 *     `idempotency_key_in_use`. Keys are scoped to the principal.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 租户 ID · Tenant id */
                tenantId: components["parameters"]["TenantId"];
                /** @description 成员 ID · Member id */
                memberId: components["parameters"]["MemberId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MemberUpdate"];
            };
        };
        responses: {
            /** @description 已修改 · Updated */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Idempotency-Replayed"?: components["headers"]["Idempotency-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Member"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listTokens: {
        parameters: {
            query?: {
                /** @description 只返回属于该租户的令牌（不含下级）· Only tokens of this tenant (descendants excluded) */
                tenantId?: components["schemas"]["TenantId"];
                /** @description 是否包含已吊销的令牌 · Whether to include revoked tokens */
                includeRevoked?: boolean;
                /** @description 每页最多条数 · Maximum number of items per page */
                limit?: components["parameters"]["Limit"];
                /**
                 * @description 上一页响应中的 `nextCursor`；不透明，不要解析或自行构造。游标绑定其查询条件：改变过滤参数需从第一页重新开始，
                 *     否则返回 400 `bad_request`。
                 *
                 *     The `nextCursor` of the previous page; opaque, never parse or build one. A cursor is bound to
                 *     its query: changing the filters means starting again from the first page, otherwise 400
                 *     `bad_request`.
                 */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 一页令牌 · A page of tokens */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createToken: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键（建议使用 UUID v4），保存 24 小时。相同键和相同请求体：重放首次响应并带 `Idempotency-Replayed: true`；
                 *     相同键但请求体不同：422 `idempotency_key_reused`；首次请求仍在处理：409 `idempotency_key_in_use`。键按主体隔离。
                 *
                 *     An idempotency key (a UUID v4 is recommended), kept for 24 h. Same key and same body: the first
                 *     response is replayed with `Idempotency-Replayed: true`; same key with a different body: 422
                 *     `idempotency_key_reused`; while the first request is still running: 409
                 *     `idempotency_key_in_use`. Keys are scoped to the principal.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TokenCreate"];
            };
        };
        responses: {
            /** @description 已创建；密钥只显示这一次 · Created; the secret is shown this once only */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Idempotency-Replayed"?: components["headers"]["Idempotency-Replayed"];
                    Location: components["headers"]["Location"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenWithSecret"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getToken: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 令牌 ID · Token id */
                tokenId: components["parameters"]["TokenId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 令牌 · The token */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Token"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    revokeToken: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键（建议使用 UUID v4），保存 24 小时。相同键和相同请求体：重放首次响应并带 `Idempotency-Replayed: true`；
                 *     相同键但请求体不同：422 `idempotency_key_reused`；首次请求仍在处理：409 `idempotency_key_in_use`。键按主体隔离。
                 *
                 *     An idempotency key (a UUID v4 is recommended), kept for 24 h. Same key and same body: the first
                 *     response is replayed with `Idempotency-Replayed: true`; same key with a different body: 422
                 *     `idempotency_key_reused`; while the first request is still running: 409
                 *     `idempotency_key_in_use`. Keys are scoped to the principal.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 令牌 ID · Token id */
                tokenId: components["parameters"]["TokenId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 已吊销 · Revoked */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Idempotency-Replayed"?: components["headers"]["Idempotency-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Token"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listInstances: {
        parameters: {
            query?: {
                /** @description 只返回该租户的实例（不含下级）· Only instances of this tenant (descendants excluded) */
                tenantId?: components["schemas"]["TenantId"];
                /** @description 只返回该服务的实例 · Only instances of this service */
                serviceId?: components["schemas"]["ServiceId"];
                /** @description 只返回处于该状态的实例 · Only instances in this state */
                state?: components["schemas"]["InstanceState"];
                /** @description 每页最多条数 · Maximum number of items per page */
                limit?: components["parameters"]["Limit"];
                /**
                 * @description 上一页响应中的 `nextCursor`；不透明，不要解析或自行构造。游标绑定其查询条件：改变过滤参数需从第一页重新开始，
                 *     否则返回 400 `bad_request`。
                 *
                 *     The `nextCursor` of the previous page; opaque, never parse or build one. A cursor is bound to
                 *     its query: changing the filters means starting again from the first page, otherwise 400
                 *     `bad_request`.
                 */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 一页实例 · A page of instances */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InstanceList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createInstance: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键（建议使用 UUID v4），保存 24 小时。相同键和相同请求体：重放首次响应并带 `Idempotency-Replayed: true`；
                 *     相同键但请求体不同：422 `idempotency_key_reused`；首次请求仍在处理：409 `idempotency_key_in_use`。键按主体隔离。
                 *
                 *     An idempotency key (a UUID v4 is recommended), kept for 24 h. Same key and same body: the first
                 *     response is replayed with `Idempotency-Replayed: true`; same key with a different body: 422
                 *     `idempotency_key_reused`; while the first request is still running: 409
                 *     `idempotency_key_in_use`. Keys are scoped to the principal.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InstanceCreate"];
            };
        };
        responses: {
            /** @description 已受理：正在开通 · Accepted; provisioning */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Idempotency-Replayed"?: components["headers"]["Idempotency-Replayed"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Instance"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getInstance: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 服务实例 ID · Service instance id */
                instanceId: components["parameters"]["InstanceId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 实例 · The instance */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Instance"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    deleteInstance: {
        parameters: {
            query?: {
                /** @description 连同其绑定一起删除（先吊销全部凭据）· Delete its bindings with it (every credential is revoked first) */
                force?: boolean;
            };
            header?: {
                /**
                 * @description 幂等键（建议使用 UUID v4），保存 24 小时。相同键和相同请求体：重放首次响应并带 `Idempotency-Replayed: true`；
                 *     相同键但请求体不同：422 `idempotency_key_reused`；首次请求仍在处理：409 `idempotency_key_in_use`。键按主体隔离。
                 *
                 *     An idempotency key (a UUID v4 is recommended), kept for 24 h. Same key and same body: the first
                 *     response is replayed with `Idempotency-Replayed: true`; same key with a different body: 422
                 *     `idempotency_key_reused`; while the first request is still running: 409
                 *     `idempotency_key_in_use`. Keys are scoped to the principal.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 服务实例 ID · Service instance id */
                instanceId: components["parameters"]["InstanceId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 已受理：正在注销 · Accepted; deprovisioning */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Idempotency-Replayed"?: components["headers"]["Idempotency-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Instance"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    updateInstance: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键（建议使用 UUID v4），保存 24 小时。相同键和相同请求体：重放首次响应并带 `Idempotency-Replayed: true`；
                 *     相同键但请求体不同：422 `idempotency_key_reused`；首次请求仍在处理：409 `idempotency_key_in_use`。键按主体隔离。
                 *
                 *     An idempotency key (a UUID v4 is recommended), kept for 24 h. Same key and same body: the first
                 *     response is replayed with `Idempotency-Replayed: true`; same key with a different body: 422
                 *     `idempotency_key_reused`; while the first request is still running: 409
                 *     `idempotency_key_in_use`. Keys are scoped to the principal.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 服务实例 ID · Service instance id */
                instanceId: components["parameters"]["InstanceId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InstanceUpdate"];
            };
        };
        responses: {
            /** @description 已受理：正在变更 · Accepted; updating */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Idempotency-Replayed"?: components["headers"]["Idempotency-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Instance"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getInstanceUsage: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 服务实例 ID · Service instance id */
                instanceId: components["parameters"]["InstanceId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 用量 · The usage */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InstanceUsage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listBindings: {
        parameters: {
            query?: {
                /** @description 只返回该实例的绑定 · Only bindings of this instance */
                instanceId?: components["schemas"]["InstanceId"];
                /** @description 只返回绑定到该应用的绑定 · Only bindings attached to this app */
                appId?: components["schemas"]["AppId"];
                /** @description 只返回该租户的绑定（不含下级）· Only bindings of this tenant (descendants excluded) */
                tenantId?: components["schemas"]["TenantId"];
                /** @description 每页最多条数 · Maximum number of items per page */
                limit?: components["parameters"]["Limit"];
                /**
                 * @description 上一页响应中的 `nextCursor`；不透明，不要解析或自行构造。游标绑定其查询条件：改变过滤参数需从第一页重新开始，
                 *     否则返回 400 `bad_request`。
                 *
                 *     The `nextCursor` of the previous page; opaque, never parse or build one. A cursor is bound to
                 *     its query: changing the filters means starting again from the first page, otherwise 400
                 *     `bad_request`.
                 */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 一页绑定 · A page of bindings */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BindingList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createBinding: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键（建议使用 UUID v4），保存 24 小时。相同键和相同请求体：重放首次响应并带 `Idempotency-Replayed: true`；
                 *     相同键但请求体不同：422 `idempotency_key_reused`；首次请求仍在处理：409 `idempotency_key_in_use`。键按主体隔离。
                 *
                 *     An idempotency key (a UUID v4 is recommended), kept for 24 h. Same key and same body: the first
                 *     response is replayed with `Idempotency-Replayed: true`; same key with a different body: 422
                 *     `idempotency_key_reused`; while the first request is still running: 409
                 *     `idempotency_key_in_use`. Keys are scoped to the principal.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BindingCreate"];
            };
        };
        responses: {
            /** @description 已受理：正在创建 · Accepted; creating */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Idempotency-Replayed"?: components["headers"]["Idempotency-Replayed"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Binding"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getBinding: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 绑定 ID · Binding id */
                bindingId: components["parameters"]["BindingId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 绑定 · The binding */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Binding"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    deleteBinding: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键（建议使用 UUID v4），保存 24 小时。相同键和相同请求体：重放首次响应并带 `Idempotency-Replayed: true`；
                 *     相同键但请求体不同：422 `idempotency_key_reused`；首次请求仍在处理：409 `idempotency_key_in_use`。键按主体隔离。
                 *
                 *     An idempotency key (a UUID v4 is recommended), kept for 24 h. Same key and same body: the first
                 *     response is replayed with `Idempotency-Replayed: true`; same key with a different body: 422
                 *     `idempotency_key_reused`; while the first request is still running: 409
                 *     `idempotency_key_in_use`. Keys are scoped to the principal.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 绑定 ID · Binding id */
                bindingId: components["parameters"]["BindingId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 已受理：正在删除 · Accepted; deleting */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Idempotency-Replayed"?: components["headers"]["Idempotency-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Binding"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getBindingCredentials: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 绑定 ID · Binding id */
                bindingId: components["parameters"]["BindingId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 凭据 · The credentials */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BindingCredentials"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    rotateBinding: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键（建议使用 UUID v4），保存 24 小时。相同键和相同请求体：重放首次响应并带 `Idempotency-Replayed: true`；
                 *     相同键但请求体不同：422 `idempotency_key_reused`；首次请求仍在处理：409 `idempotency_key_in_use`。键按主体隔离。
                 *
                 *     An idempotency key (a UUID v4 is recommended), kept for 24 h. Same key and same body: the first
                 *     response is replayed with `Idempotency-Replayed: true`; same key with a different body: 422
                 *     `idempotency_key_reused`; while the first request is still running: 409
                 *     `idempotency_key_in_use`. Keys are scoped to the principal.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 绑定 ID · Binding id */
                bindingId: components["parameters"]["BindingId"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["BindingRotate"];
            };
        };
        responses: {
            /** @description 已受理：正在轮换 · Accepted; rotating */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Idempotency-Replayed"?: components["headers"]["Idempotency-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Binding"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listOperations: {
        parameters: {
            query?: {
                /** @description 只返回该租户的操作（不含下级）· Only operations of this tenant (descendants excluded) */
                tenantId?: components["schemas"]["TenantId"];
                /** @description 只返回作用于该资源的操作（实例、绑定、应用或发布的 ID）· Only operations on this resource (an instance, binding, app or release id) */
                targetId?: components["schemas"]["OperationTargetId"];
                /** @description 只返回处于该状态的操作 · Only operations in this state */
                state?: components["schemas"]["OperationState"];
                /** @description 每页最多条数 · Maximum number of items per page */
                limit?: components["parameters"]["Limit"];
                /**
                 * @description 上一页响应中的 `nextCursor`；不透明，不要解析或自行构造。游标绑定其查询条件：改变过滤参数需从第一页重新开始，
                 *     否则返回 400 `bad_request`。
                 *
                 *     The `nextCursor` of the previous page; opaque, never parse or build one. A cursor is bound to
                 *     its query: changing the filters means starting again from the first page, otherwise 400
                 *     `bad_request`.
                 */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 一页操作 · A page of operations */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OperationList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getOperation: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 异步操作 ID · Operation id */
                operationId: components["parameters"]["OperationId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 操作 · The operation */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Operation"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    cancelOperation: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键（建议使用 UUID v4），保存 24 小时。相同键和相同请求体：重放首次响应并带 `Idempotency-Replayed: true`；
                 *     相同键但请求体不同：422 `idempotency_key_reused`；首次请求仍在处理：409 `idempotency_key_in_use`。键按主体隔离。
                 *
                 *     An idempotency key (a UUID v4 is recommended), kept for 24 h. Same key and same body: the first
                 *     response is replayed with `Idempotency-Replayed: true`; same key with a different body: 422
                 *     `idempotency_key_reused`; while the first request is still running: 409
                 *     `idempotency_key_in_use`. Keys are scoped to the principal.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 异步操作 ID · Operation id */
                operationId: components["parameters"]["OperationId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 已受理：正在取消 · Accepted; canceling */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Idempotency-Replayed"?: components["headers"]["Idempotency-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Operation"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listApps: {
        parameters: {
            query?: {
                /** @description 只返回该租户的应用（不含下级）· Only apps of this tenant (descendants excluded) */
                tenantId?: components["schemas"]["TenantId"];
                /** @description 只返回处于该状态的应用 · Only apps in this state */
                state?: components["schemas"]["AppState"];
                /** @description 每页最多条数 · Maximum number of items per page */
                limit?: components["parameters"]["Limit"];
                /**
                 * @description 上一页响应中的 `nextCursor`；不透明，不要解析或自行构造。游标绑定其查询条件：改变过滤参数需从第一页重新开始，
                 *     否则返回 400 `bad_request`。
                 *
                 *     The `nextCursor` of the previous page; opaque, never parse or build one. A cursor is bound to
                 *     its query: changing the filters means starting again from the first page, otherwise 400
                 *     `bad_request`.
                 */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 一页应用 · A page of apps */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createApp: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键（建议使用 UUID v4），保存 24 小时。相同键和相同请求体：重放首次响应并带 `Idempotency-Replayed: true`；
                 *     相同键但请求体不同：422 `idempotency_key_reused`；首次请求仍在处理：409 `idempotency_key_in_use`。键按主体隔离。
                 *
                 *     An idempotency key (a UUID v4 is recommended), kept for 24 h. Same key and same body: the first
                 *     response is replayed with `Idempotency-Replayed: true`; same key with a different body: 422
                 *     `idempotency_key_reused`; while the first request is still running: 409
                 *     `idempotency_key_in_use`. Keys are scoped to the principal.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AppCreate"];
            };
        };
        responses: {
            /** @description 已创建 · Created */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Idempotency-Replayed"?: components["headers"]["Idempotency-Replayed"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["App"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getApp: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 应用 ID · App id */
                appId: components["parameters"]["AppId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 应用 · The app */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["App"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    deleteApp: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键（建议使用 UUID v4），保存 24 小时。相同键和相同请求体：重放首次响应并带 `Idempotency-Replayed: true`；
                 *     相同键但请求体不同：422 `idempotency_key_reused`；首次请求仍在处理：409 `idempotency_key_in_use`。键按主体隔离。
                 *
                 *     An idempotency key (a UUID v4 is recommended), kept for 24 h. Same key and same body: the first
                 *     response is replayed with `Idempotency-Replayed: true`; same key with a different body: 422
                 *     `idempotency_key_reused`; while the first request is still running: 409
                 *     `idempotency_key_in_use`. Keys are scoped to the principal.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 应用 ID · App id */
                appId: components["parameters"]["AppId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 已受理：正在删除 · Accepted; deleting */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Idempotency-Replayed"?: components["headers"]["Idempotency-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["App"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    updateApp: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键（建议使用 UUID v4），保存 24 小时。相同键和相同请求体：重放首次响应并带 `Idempotency-Replayed: true`；
                 *     相同键但请求体不同：422 `idempotency_key_reused`；首次请求仍在处理：409 `idempotency_key_in_use`。键按主体隔离。
                 *
                 *     An idempotency key (a UUID v4 is recommended), kept for 24 h. Same key and same body: the first
                 *     response is replayed with `Idempotency-Replayed: true`; same key with a different body: 422
                 *     `idempotency_key_reused`; while the first request is still running: 409
                 *     `idempotency_key_in_use`. Keys are scoped to the principal.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 应用 ID · App id */
                appId: components["parameters"]["AppId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AppUpdate"];
            };
        };
        responses: {
            /** @description 已修改 · Updated */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Idempotency-Replayed"?: components["headers"]["Idempotency-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["App"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    restartApp: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键（建议使用 UUID v4），保存 24 小时。相同键和相同请求体：重放首次响应并带 `Idempotency-Replayed: true`；
                 *     相同键但请求体不同：422 `idempotency_key_reused`；首次请求仍在处理：409 `idempotency_key_in_use`。键按主体隔离。
                 *
                 *     An idempotency key (a UUID v4 is recommended), kept for 24 h. Same key and same body: the first
                 *     response is replayed with `Idempotency-Replayed: true`; same key with a different body: 422
                 *     `idempotency_key_reused`; while the first request is still running: 409
                 *     `idempotency_key_in_use`. Keys are scoped to the principal.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 应用 ID · App id */
                appId: components["parameters"]["AppId"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["AppRestart"];
            };
        };
        responses: {
            /** @description 已受理：正在重启 · Accepted; restarting */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Idempotency-Replayed"?: components["headers"]["Idempotency-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["App"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    uploadSource: {
        parameters: {
            query?: never;
            header?: {
                /** @description 请求体的 SHA-256 摘要（64 位小写十六进制），可选；给出时服务器校验 · Optional SHA-256 of the body (64 lowercase hex digits), checked by the server when present */
                "X-Content-Sha256"?: string;
                /**
                 * @description 幂等键（建议使用 UUID v4），保存 24 小时。相同键和相同请求体：重放首次响应并带 `Idempotency-Replayed: true`；
                 *     相同键但请求体不同：422 `idempotency_key_reused`；首次请求仍在处理：409 `idempotency_key_in_use`。键按主体隔离。
                 *
                 *     An idempotency key (a UUID v4 is recommended), kept for 24 h. Same key and same body: the first
                 *     response is replayed with `Idempotency-Replayed: true`; same key with a different body: 422
                 *     `idempotency_key_reused`; while the first request is still running: 409
                 *     `idempotency_key_in_use`. Keys are scoped to the principal.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 应用 ID · App id */
                appId: components["parameters"]["AppId"];
            };
            cookie?: never;
        };
        /** @description 应用目录的 tar.gz 包，最大 200 MiB · A tar.gz of the app folder, at most 200 MiB */
        requestBody: {
            content: {
                "application/gzip": Blob;
            };
        };
        responses: {
            /** @description 已上传 · Uploaded */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Idempotency-Replayed"?: components["headers"]["Idempotency-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Source"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listReleases: {
        parameters: {
            query?: {
                /** @description 每页最多条数 · Maximum number of items per page */
                limit?: components["parameters"]["Limit"];
                /**
                 * @description 上一页响应中的 `nextCursor`；不透明，不要解析或自行构造。游标绑定其查询条件：改变过滤参数需从第一页重新开始，
                 *     否则返回 400 `bad_request`。
                 *
                 *     The `nextCursor` of the previous page; opaque, never parse or build one. A cursor is bound to
                 *     its query: changing the filters means starting again from the first page, otherwise 400
                 *     `bad_request`.
                 */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 应用 ID · App id */
                appId: components["parameters"]["AppId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 一页发布 · A page of releases */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReleaseList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createRelease: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键（建议使用 UUID v4），保存 24 小时。相同键和相同请求体：重放首次响应并带 `Idempotency-Replayed: true`；
                 *     相同键但请求体不同：422 `idempotency_key_reused`；首次请求仍在处理：409 `idempotency_key_in_use`。键按主体隔离。
                 *
                 *     An idempotency key (a UUID v4 is recommended), kept for 24 h. Same key and same body: the first
                 *     response is replayed with `Idempotency-Replayed: true`; same key with a different body: 422
                 *     `idempotency_key_reused`; while the first request is still running: 409
                 *     `idempotency_key_in_use`. Keys are scoped to the principal.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 应用 ID · App id */
                appId: components["parameters"]["AppId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReleaseCreate"];
            };
        };
        responses: {
            /** @description 已受理：发布进行中 · Accepted; the release is in progress */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Idempotency-Replayed"?: components["headers"]["Idempotency-Replayed"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Release"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getRelease: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 应用 ID · App id */
                appId: components["parameters"]["AppId"];
                /** @description 发布 ID · Release id */
                releaseId: components["parameters"]["ReleaseId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 发布 · The release */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Release"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    rollbackApp: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键（建议使用 UUID v4），保存 24 小时。相同键和相同请求体：重放首次响应并带 `Idempotency-Replayed: true`；
                 *     相同键但请求体不同：422 `idempotency_key_reused`；首次请求仍在处理：409 `idempotency_key_in_use`。键按主体隔离。
                 *
                 *     An idempotency key (a UUID v4 is recommended), kept for 24 h. Same key and same body: the first
                 *     response is replayed with `Idempotency-Replayed: true`; same key with a different body: 422
                 *     `idempotency_key_reused`; while the first request is still running: 409
                 *     `idempotency_key_in_use`. Keys are scoped to the principal.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 应用 ID · App id */
                appId: components["parameters"]["AppId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Rollback"];
            };
        };
        responses: {
            /** @description 已受理：正在回滚 · Accepted; rolling back */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Idempotency-Replayed"?: components["headers"]["Idempotency-Replayed"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Release"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getAppScale: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 应用 ID · App id */
                appId: components["parameters"]["AppId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 进程规模 · The process scale */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Scale"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    scaleApp: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键（建议使用 UUID v4），保存 24 小时。相同键和相同请求体：重放首次响应并带 `Idempotency-Replayed: true`；
                 *     相同键但请求体不同：422 `idempotency_key_reused`；首次请求仍在处理：409 `idempotency_key_in_use`。键按主体隔离。
                 *
                 *     An idempotency key (a UUID v4 is recommended), kept for 24 h. Same key and same body: the first
                 *     response is replayed with `Idempotency-Replayed: true`; same key with a different body: 422
                 *     `idempotency_key_reused`; while the first request is still running: 409
                 *     `idempotency_key_in_use`. Keys are scoped to the principal.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 应用 ID · App id */
                appId: components["parameters"]["AppId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ScaleUpdate"];
            };
        };
        responses: {
            /** @description 已设置 · Scaled */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Idempotency-Replayed"?: components["headers"]["Idempotency-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Scale"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getAutoscalingPolicy: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 应用 ID · App id */
                appId: components["parameters"]["AppId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 自动伸缩策略 · The autoscaling policy */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AutoscalingPolicy"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    setAutoscalingPolicy: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键（建议使用 UUID v4），保存 24 小时。相同键和相同请求体：重放首次响应并带 `Idempotency-Replayed: true`；
                 *     相同键但请求体不同：422 `idempotency_key_reused`；首次请求仍在处理：409 `idempotency_key_in_use`。键按主体隔离。
                 *
                 *     An idempotency key (a UUID v4 is recommended), kept for 24 h. Same key and same body: the first
                 *     response is replayed with `Idempotency-Replayed: true`; same key with a different body: 422
                 *     `idempotency_key_reused`; while the first request is still running: 409
                 *     `idempotency_key_in_use`. Keys are scoped to the principal.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 应用 ID · App id */
                appId: components["parameters"]["AppId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AutoscalingPolicyUpdate"];
            };
        };
        responses: {
            /** @description 已设置 · Set */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Idempotency-Replayed"?: components["headers"]["Idempotency-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AutoscalingPolicy"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    deleteAutoscalingPolicy: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键（建议使用 UUID v4），保存 24 小时。相同键和相同请求体：重放首次响应并带 `Idempotency-Replayed: true`；
                 *     相同键但请求体不同：422 `idempotency_key_reused`；首次请求仍在处理：409 `idempotency_key_in_use`。键按主体隔离。
                 *
                 *     An idempotency key (a UUID v4 is recommended), kept for 24 h. Same key and same body: the first
                 *     response is replayed with `Idempotency-Replayed: true`; same key with a different body: 422
                 *     `idempotency_key_reused`; while the first request is still running: 409
                 *     `idempotency_key_in_use`. Keys are scoped to the principal.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 应用 ID · App id */
                appId: components["parameters"]["AppId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["NoContent"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listSchedules: {
        parameters: {
            query?: {
                /** @description 每页最多条数 · Maximum number of items per page */
                limit?: components["parameters"]["Limit"];
                /**
                 * @description 上一页响应中的 `nextCursor`；不透明，不要解析或自行构造。游标绑定其查询条件：改变过滤参数需从第一页重新开始，
                 *     否则返回 400 `bad_request`。
                 *
                 *     The `nextCursor` of the previous page; opaque, never parse or build one. A cursor is bound to
                 *     its query: changing the filters means starting again from the first page, otherwise 400
                 *     `bad_request`.
                 */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 应用 ID · App id */
                appId: components["parameters"]["AppId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 一页伸缩计划 · A page of schedules */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScheduleList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createSchedule: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键（建议使用 UUID v4），保存 24 小时。相同键和相同请求体：重放首次响应并带 `Idempotency-Replayed: true`；
                 *     相同键但请求体不同：422 `idempotency_key_reused`；首次请求仍在处理：409 `idempotency_key_in_use`。键按主体隔离。
                 *
                 *     An idempotency key (a UUID v4 is recommended), kept for 24 h. Same key and same body: the first
                 *     response is replayed with `Idempotency-Replayed: true`; same key with a different body: 422
                 *     `idempotency_key_reused`; while the first request is still running: 409
                 *     `idempotency_key_in_use`. Keys are scoped to the principal.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 应用 ID · App id */
                appId: components["parameters"]["AppId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ScheduleCreate"];
            };
        };
        responses: {
            /** @description 已创建 · Created */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Idempotency-Replayed"?: components["headers"]["Idempotency-Replayed"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Schedule"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getSchedule: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 应用 ID · App id */
                appId: components["parameters"]["AppId"];
                /** @description 伸缩计划 ID · Scaling schedule id */
                scheduleId: components["parameters"]["ScheduleId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 伸缩计划 · The schedule */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Schedule"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    updateSchedule: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键（建议使用 UUID v4），保存 24 小时。相同键和相同请求体：重放首次响应并带 `Idempotency-Replayed: true`；
                 *     相同键但请求体不同：422 `idempotency_key_reused`；首次请求仍在处理：409 `idempotency_key_in_use`。键按主体隔离。
                 *
                 *     An idempotency key (a UUID v4 is recommended), kept for 24 h. Same key and same body: the first
                 *     response is replayed with `Idempotency-Replayed: true`; same key with a different body: 422
                 *     `idempotency_key_reused`; while the first request is still running: 409
                 *     `idempotency_key_in_use`. Keys are scoped to the principal.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 应用 ID · App id */
                appId: components["parameters"]["AppId"];
                /** @description 伸缩计划 ID · Scaling schedule id */
                scheduleId: components["parameters"]["ScheduleId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ScheduleUpdate"];
            };
        };
        responses: {
            /** @description 已替换 · Replaced */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Idempotency-Replayed"?: components["headers"]["Idempotency-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Schedule"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    deleteSchedule: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键（建议使用 UUID v4），保存 24 小时。相同键和相同请求体：重放首次响应并带 `Idempotency-Replayed: true`；
                 *     相同键但请求体不同：422 `idempotency_key_reused`；首次请求仍在处理：409 `idempotency_key_in_use`。键按主体隔离。
                 *
                 *     An idempotency key (a UUID v4 is recommended), kept for 24 h. Same key and same body: the first
                 *     response is replayed with `Idempotency-Replayed: true`; same key with a different body: 422
                 *     `idempotency_key_reused`; while the first request is still running: 409
                 *     `idempotency_key_in_use`. Keys are scoped to the principal.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 应用 ID · App id */
                appId: components["parameters"]["AppId"];
                /** @description 伸缩计划 ID · Scaling schedule id */
                scheduleId: components["parameters"]["ScheduleId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["NoContent"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listScalingEvents: {
        parameters: {
            query?: {
                /** @description 只返回该进程的事件 · Only events of this process */
                process?: components["schemas"]["ProcessType"];
                /** @description 每页最多条数 · Maximum number of items per page */
                limit?: components["parameters"]["Limit"];
                /**
                 * @description 上一页响应中的 `nextCursor`；不透明，不要解析或自行构造。游标绑定其查询条件：改变过滤参数需从第一页重新开始，
                 *     否则返回 400 `bad_request`。
                 *
                 *     The `nextCursor` of the previous page; opaque, never parse or build one. A cursor is bound to
                 *     its query: changing the filters means starting again from the first page, otherwise 400
                 *     `bad_request`.
                 */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 应用 ID · App id */
                appId: components["parameters"]["AppId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 一页伸缩事件 · A page of scaling events */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScalingEventList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    streamAppLogs: {
        parameters: {
            query?: {
                /** @description 积压之后是否持续推送新日志 · Whether to keep streaming new entries after the backlog */
                follow?: boolean;
                /** @description 积压中最多返回的条数 · At most this many backlog entries */
                tail?: number;
                /** @description 只返回此时间之后的日志 · Only entries after this time */
                since?: string;
                /** @description 只返回该进程的日志 · Only entries of this process */
                process?: components["schemas"]["ProcessType"];
                /** @description 只返回该来源的日志 · Only entries from this source */
                source?: components["schemas"]["LogSource"];
            };
            header?: {
                /** @description 从该事件 ID 之后继续（SSE 重连）· Resume after this event id (SSE reconnection) */
                "Last-Event-ID"?: string;
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 应用 ID · App id */
                appId: components["parameters"]["AppId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 日志事件流 · A stream of log events */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listAuditEvents: {
        parameters: {
            query?: {
                /** @description 只返回该租户的事件（不含下级）· Only events of this tenant (descendants excluded) */
                tenantId?: components["schemas"]["TenantId"];
                /** @description 只返回该主体的事件 · Only events by this principal */
                principalId?: string;
                /** @description 只返回该动作的事件，如 `instance.create` · Only events of this action, e.g. `instance.create` */
                action?: components["schemas"]["AuditAction"];
                /** @description 只返回作用于该资源的事件 · Only events on this resource */
                targetId?: string;
                /** @description 只返回该结果的事件 · Only events with this outcome */
                outcome?: components["schemas"]["AuditOutcome"];
                /** @description 只返回此时间及之后发生的事件 · Only events that occurred at or after this time */
                since?: string;
                /** @description 只返回此时间之前发生的事件 · Only events that occurred before this time */
                until?: string;
                /** @description 每页最多条数 · Maximum number of items per page */
                limit?: components["parameters"]["Limit"];
                /**
                 * @description 上一页响应中的 `nextCursor`；不透明，不要解析或自行构造。游标绑定其查询条件：改变过滤参数需从第一页重新开始，
                 *     否则返回 400 `bad_request`。
                 *
                 *     The `nextCursor` of the previous page; opaque, never parse or build one. A cursor is bound to
                 *     its query: changing the filters means starting again from the first page, otherwise 400
                 *     `bad_request`.
                 */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 一页审计事件 · A page of audit events */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditEventList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getAuditEvent: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path: {
                /** @description 审计事件 ID · Audit event id */
                eventId: components["parameters"]["EventId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 审计事件 · The audit event */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditEvent"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    verifyAuditChain: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键（建议使用 UUID v4），保存 24 小时。相同键和相同请求体：重放首次响应并带 `Idempotency-Replayed: true`；
                 *     相同键但请求体不同：422 `idempotency_key_reused`；首次请求仍在处理：409 `idempotency_key_in_use`。键按主体隔离。
                 *
                 *     An idempotency key (a UUID v4 is recommended), kept for 24 h. Same key and same body: the first
                 *     response is replayed with `Idempotency-Replayed: true`; same key with a different body: 422
                 *     `idempotency_key_reused`; while the first request is still running: 409
                 *     `idempotency_key_in_use`. Keys are scoped to the principal.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description 客户端自选的请求 ID，用于关联日志和审计；不符合格式的值会被替换为服务器生成的 `req_…`，而不是被拒绝。响应总会回显最终使用的 ID。
                 *
                 *     A request id of your choice, for correlating logs and audit events; a value that doesn't match
                 *     the format is replaced by a server-generated `req_…`, not rejected. Every response echoes the id
                 *     in use.
                 */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["AuditVerifyRequest"];
            };
        };
        responses: {
            /** @description 校验结果 · The verification result */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Idempotency-Replayed"?: components["headers"]["Idempotency-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditVerification"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
}
