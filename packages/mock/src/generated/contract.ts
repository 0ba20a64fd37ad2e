/**
 * generated — do not edit; run `pnpm --filter @zhengwu/mock run generate`
 *
 * Source: packages/openapi/openapi.yaml (schemas, parameters, bodies and responses; prose left out).
 */
import type { ContractDocument } from '../contract-types';

export const contract: ContractDocument = {
  "$id": "https://zhengwu.gov.cn/contract/v1",
  "version": "1.0.0",
  "components": {
    "schemas": {
      "TenantId": {
        "type": "string",
        "pattern": "^ten_[0-9A-Za-z]{16,32}$"
      },
      "MemberId": {
        "type": "string",
        "pattern": "^mem_[0-9A-Za-z]{16,32}$"
      },
      "TokenId": {
        "type": "string",
        "pattern": "^tok_[0-9A-Za-z]{16,32}$"
      },
      "InstanceId": {
        "type": "string",
        "pattern": "^ins_[0-9A-Za-z]{16,32}$"
      },
      "BindingId": {
        "type": "string",
        "pattern": "^bnd_[0-9A-Za-z]{16,32}$"
      },
      "OperationId": {
        "type": "string",
        "pattern": "^op_[0-9A-Za-z]{16,32}$"
      },
      "AppId": {
        "type": "string",
        "pattern": "^app_[0-9A-Za-z]{16,32}$"
      },
      "SourceId": {
        "type": "string",
        "pattern": "^src_[0-9A-Za-z]{16,32}$"
      },
      "ReleaseId": {
        "type": "string",
        "pattern": "^rel_[0-9A-Za-z]{16,32}$"
      },
      "ScheduleId": {
        "type": "string",
        "pattern": "^sch_[0-9A-Za-z]{16,32}$"
      },
      "ScalingEventId": {
        "type": "string",
        "pattern": "^sev_[0-9A-Za-z]{16,32}$"
      },
      "AuditEventId": {
        "type": "string",
        "pattern": "^evt_[0-9A-Za-z]{16,32}$"
      },
      "OperationTargetId": {
        "type": "string",
        "pattern": "^(ins|bnd|app|rel)_[0-9A-Za-z]{16,32}$"
      },
      "RequestId": {
        "type": "string",
        "minLength": 1,
        "maxLength": 200,
        "pattern": "^[A-Za-z0-9._-]{1,200}$"
      },
      "ServiceId": {
        "type": "string",
        "pattern": "^[a-z][a-z0-9-]{1,62}$"
      },
      "PlanId": {
        "type": "string",
        "pattern": "^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$"
      },
      "ResourceName": {
        "type": "string",
        "pattern": "^[a-z][a-z0-9-]{0,61}[a-z0-9]$"
      },
      "ProcessType": {
        "type": "string",
        "pattern": "^[a-z](?:[a-z0-9-]{0,28}[a-z0-9])?$"
      },
      "LocalizedText": {
        "type": "object",
        "required": [
          "zh",
          "en"
        ],
        "properties": {
          "zh": {
            "type": "string",
            "minLength": 1,
            "maxLength": 2000
          },
          "en": {
            "type": "string",
            "minLength": 1,
            "maxLength": 2000
          }
        }
      },
      "Labels": {
        "type": "object",
        "maxProperties": 64,
        "propertyNames": {
          "pattern": "^[a-z][a-z0-9._/-]{0,62}$"
        },
        "additionalProperties": {
          "type": "string",
          "maxLength": 255
        }
      },
      "LabelsPatch": {
        "type": "object",
        "maxProperties": 64,
        "propertyNames": {
          "pattern": "^[a-z][a-z0-9._/-]{0,62}$"
        },
        "additionalProperties": {
          "type": [
            "string",
            "null"
          ],
          "maxLength": 255
        }
      },
      "JsonSchema": {
        "type": "object",
        "additionalProperties": true
      },
      "OperationRef": {
        "type": "object",
        "required": [
          "id",
          "type",
          "state"
        ],
        "properties": {
          "id": {
            "$ref": "#/components/schemas/OperationId"
          },
          "type": {
            "$ref": "#/components/schemas/OperationType"
          },
          "state": {
            "$ref": "#/components/schemas/OperationState"
          }
        }
      },
      "Problem": {
        "type": "object",
        "required": [
          "type",
          "title",
          "status",
          "code",
          "requestId"
        ],
        "properties": {
          "type": {
            "type": "string",
            "format": "uri",
            "default": "about:blank"
          },
          "title": {
            "type": "string"
          },
          "status": {
            "type": "integer",
            "minimum": 400,
            "maximum": 599
          },
          "detail": {
            "type": "string"
          },
          "instance": {
            "type": "string",
            "format": "uri-reference"
          },
          "code": {
            "type": "string",
            "pattern": "^[a-z][a-z0-9_]*$"
          },
          "requestId": {
            "$ref": "#/components/schemas/RequestId"
          },
          "errors": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ProblemFieldError"
            }
          }
        }
      },
      "ProblemFieldError": {
        "type": "object",
        "required": [
          "path",
          "message",
          "code"
        ],
        "properties": {
          "path": {
            "type": "string"
          },
          "message": {
            "type": "string"
          },
          "code": {
            "type": "string"
          }
        }
      },
      "Health": {
        "type": "object",
        "required": [
          "status",
          "version",
          "time"
        ],
        "properties": {
          "status": {
            "type": "string",
            "enum": [
              "ok"
            ]
          },
          "version": {
            "type": "string"
          },
          "time": {
            "type": "string",
            "format": "date-time"
          }
        }
      },
      "Readiness": {
        "type": "object",
        "required": [
          "status",
          "checks"
        ],
        "properties": {
          "status": {
            "type": "string",
            "enum": [
              "ready",
              "not_ready"
            ]
          },
          "checks": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ReadinessCheck"
            }
          }
        }
      },
      "ReadinessCheck": {
        "type": "object",
        "required": [
          "name",
          "status"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "status": {
            "type": "string",
            "enum": [
              "pass",
              "fail"
            ]
          },
          "detail": {
            "type": "string"
          }
        }
      },
      "Role": {
        "type": "string",
        "enum": [
          "platform-admin",
          "security-admin",
          "audit-admin",
          "tenant-admin",
          "developer",
          "auditor"
        ]
      },
      "RoleBinding": {
        "type": "object",
        "required": [
          "tenantId",
          "role"
        ],
        "properties": {
          "tenantId": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/TenantId"
              },
              {
                "type": "null"
              }
            ]
          },
          "role": {
            "$ref": "#/components/schemas/Role"
          }
        }
      },
      "Principal": {
        "type": "object",
        "required": [
          "id",
          "type",
          "name",
          "tenantId",
          "roles"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "type": {
            "type": "string",
            "enum": [
              "user",
              "token",
              "oidc"
            ]
          },
          "name": {
            "type": "string"
          },
          "tenantId": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/TenantId"
              },
              {
                "type": "null"
              }
            ]
          },
          "roles": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/RoleBinding"
            }
          },
          "tokenId": {
            "$ref": "#/components/schemas/TokenId"
          }
        }
      },
      "ServiceCategory": {
        "type": "string",
        "enum": [
          "database",
          "middleware",
          "storage",
          "security",
          "data",
          "runtime"
        ]
      },
      "ServiceEngine": {
        "type": "object",
        "required": [
          "name",
          "version"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "version": {
            "type": "string"
          }
        }
      },
      "Service": {
        "type": "object",
        "required": [
          "id",
          "displayName",
          "description",
          "category",
          "tags",
          "available",
          "unavailableReason",
          "bindable",
          "planUpdateable",
          "engine",
          "credentialsSchema",
          "plans"
        ],
        "properties": {
          "id": {
            "$ref": "#/components/schemas/ServiceId",
            "readOnly": true
          },
          "displayName": {
            "$ref": "#/components/schemas/LocalizedText"
          },
          "description": {
            "$ref": "#/components/schemas/LocalizedText"
          },
          "category": {
            "$ref": "#/components/schemas/ServiceCategory"
          },
          "tags": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "available": {
            "type": "boolean"
          },
          "unavailableReason": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/LocalizedText"
              },
              {
                "type": "null"
              }
            ]
          },
          "bindable": {
            "type": "boolean"
          },
          "planUpdateable": {
            "type": "boolean"
          },
          "engine": {
            "$ref": "#/components/schemas/ServiceEngine"
          },
          "credentialsSchema": {
            "$ref": "#/components/schemas/JsonSchema"
          },
          "documentationUrl": {
            "type": "string",
            "format": "uri"
          },
          "plans": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Plan"
            }
          }
        }
      },
      "ServiceSummary": {
        "type": "object",
        "required": [
          "id",
          "displayName",
          "description",
          "category",
          "tags",
          "available",
          "unavailableReason",
          "bindable",
          "planUpdateable",
          "engine",
          "plans"
        ],
        "properties": {
          "id": {
            "$ref": "#/components/schemas/ServiceId",
            "readOnly": true
          },
          "displayName": {
            "$ref": "#/components/schemas/LocalizedText"
          },
          "description": {
            "$ref": "#/components/schemas/LocalizedText"
          },
          "category": {
            "$ref": "#/components/schemas/ServiceCategory"
          },
          "tags": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "available": {
            "type": "boolean"
          },
          "unavailableReason": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/LocalizedText"
              },
              {
                "type": "null"
              }
            ]
          },
          "bindable": {
            "type": "boolean"
          },
          "planUpdateable": {
            "type": "boolean"
          },
          "engine": {
            "$ref": "#/components/schemas/ServiceEngine"
          },
          "credentialsSchema": {
            "$ref": "#/components/schemas/JsonSchema"
          },
          "documentationUrl": {
            "type": "string",
            "format": "uri"
          },
          "plans": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/PlanSummary"
            }
          }
        }
      },
      "PlanLimits": {
        "type": "object",
        "properties": {
          "connections": {
            "type": "integer",
            "minimum": 0
          },
          "storageMb": {
            "type": "integer",
            "minimum": 0
          },
          "memoryMb": {
            "type": "integer",
            "minimum": 0
          },
          "messagesPerSecond": {
            "type": "integer",
            "minimum": 0
          },
          "bandwidthMbps": {
            "type": "integer",
            "minimum": 0
          },
          "replicas": {
            "type": "integer",
            "minimum": 0
          }
        }
      },
      "ShowbackPrice": {
        "type": "object",
        "required": [
          "unit",
          "amount",
          "currency"
        ],
        "properties": {
          "unit": {
            "type": "string",
            "enum": [
              "hour",
              "month"
            ]
          },
          "amount": {
            "type": "number",
            "minimum": 0
          },
          "currency": {
            "type": "string",
            "enum": [
              "CNY"
            ]
          }
        }
      },
      "PlanCompliance": {
        "type": "object",
        "required": [
          "dengbaoLevel",
          "encryptedAtRest",
          "backupRetentionDays",
          "dataResidency",
          "gmCrypto",
          "auditRetentionDays"
        ],
        "properties": {
          "dengbaoLevel": {
            "type": "integer",
            "enum": [
              2,
              3
            ]
          },
          "encryptedAtRest": {
            "type": "boolean"
          },
          "backupRetentionDays": {
            "type": "integer",
            "minimum": 0
          },
          "dataResidency": {
            "type": "string",
            "pattern": "^[A-Z]{2}$"
          },
          "gmCrypto": {
            "type": "boolean"
          },
          "auditRetentionDays": {
            "type": "integer",
            "minimum": 180
          }
        }
      },
      "PlanSchemas": {
        "type": "object",
        "required": [
          "instanceCreate",
          "instanceUpdate",
          "bindingCreate"
        ],
        "properties": {
          "instanceCreate": {
            "$ref": "#/components/schemas/JsonSchema"
          },
          "instanceUpdate": {
            "$ref": "#/components/schemas/JsonSchema"
          },
          "bindingCreate": {
            "$ref": "#/components/schemas/JsonSchema"
          }
        }
      },
      "Plan": {
        "type": "object",
        "required": [
          "id",
          "serviceId",
          "displayName",
          "description",
          "free",
          "limits",
          "price",
          "compliance",
          "schemas"
        ],
        "properties": {
          "id": {
            "$ref": "#/components/schemas/PlanId",
            "readOnly": true
          },
          "serviceId": {
            "$ref": "#/components/schemas/ServiceId"
          },
          "displayName": {
            "$ref": "#/components/schemas/LocalizedText"
          },
          "description": {
            "$ref": "#/components/schemas/LocalizedText"
          },
          "free": {
            "type": "boolean"
          },
          "limits": {
            "$ref": "#/components/schemas/PlanLimits"
          },
          "price": {
            "$ref": "#/components/schemas/ShowbackPrice"
          },
          "compliance": {
            "$ref": "#/components/schemas/PlanCompliance"
          },
          "schemas": {
            "$ref": "#/components/schemas/PlanSchemas"
          }
        }
      },
      "PlanSummary": {
        "type": "object",
        "required": [
          "id",
          "serviceId",
          "displayName",
          "description",
          "free",
          "limits",
          "price",
          "compliance"
        ],
        "properties": {
          "id": {
            "$ref": "#/components/schemas/PlanId",
            "readOnly": true
          },
          "serviceId": {
            "$ref": "#/components/schemas/ServiceId"
          },
          "displayName": {
            "$ref": "#/components/schemas/LocalizedText"
          },
          "description": {
            "$ref": "#/components/schemas/LocalizedText"
          },
          "free": {
            "type": "boolean"
          },
          "limits": {
            "$ref": "#/components/schemas/PlanLimits"
          },
          "price": {
            "$ref": "#/components/schemas/ShowbackPrice"
          },
          "compliance": {
            "$ref": "#/components/schemas/PlanCompliance"
          },
          "schemas": {
            "$ref": "#/components/schemas/PlanSchemas"
          }
        }
      },
      "ServiceList": {
        "type": "object",
        "required": [
          "data",
          "nextCursor"
        ],
        "properties": {
          "data": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ServiceSummary"
            }
          },
          "nextCursor": {
            "$ref": "#/components/schemas/NextCursor"
          }
        }
      },
      "PlanList": {
        "type": "object",
        "required": [
          "data",
          "nextCursor"
        ],
        "properties": {
          "data": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Plan"
            }
          },
          "nextCursor": {
            "$ref": "#/components/schemas/NextCursor"
          }
        }
      },
      "NextCursor": {
        "type": [
          "string",
          "null"
        ]
      },
      "TenantLevel": {
        "type": "string",
        "enum": [
          "province",
          "city",
          "district",
          "township"
        ]
      },
      "Tenant": {
        "type": "object",
        "required": [
          "id",
          "name",
          "displayName",
          "parentId",
          "path",
          "level",
          "regionCode",
          "labels",
          "createdAt",
          "updatedAt"
        ],
        "properties": {
          "id": {
            "$ref": "#/components/schemas/TenantId",
            "readOnly": true
          },
          "name": {
            "$ref": "#/components/schemas/ResourceName"
          },
          "displayName": {
            "$ref": "#/components/schemas/LocalizedText"
          },
          "parentId": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/TenantId"
              },
              {
                "type": "null"
              }
            ]
          },
          "path": {
            "type": "array",
            "readOnly": true,
            "items": {
              "$ref": "#/components/schemas/TenantId"
            }
          },
          "level": {
            "$ref": "#/components/schemas/TenantLevel"
          },
          "regionCode": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/RegionCode"
              },
              {
                "type": "null"
              }
            ]
          },
          "labels": {
            "$ref": "#/components/schemas/Labels"
          },
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "readOnly": true
          },
          "updatedAt": {
            "type": "string",
            "format": "date-time",
            "readOnly": true
          }
        }
      },
      "RegionCode": {
        "type": "string",
        "pattern": "^[1-9][0-9]{5}$"
      },
      "TenantCreate": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "name",
          "displayName",
          "parentId",
          "level"
        ],
        "properties": {
          "name": {
            "$ref": "#/components/schemas/ResourceName"
          },
          "displayName": {
            "$ref": "#/components/schemas/LocalizedText",
            "unevaluatedProperties": false
          },
          "parentId": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/TenantId"
              },
              {
                "type": "null"
              }
            ]
          },
          "level": {
            "$ref": "#/components/schemas/TenantLevel"
          },
          "regionCode": {
            "$ref": "#/components/schemas/RegionCode"
          },
          "labels": {
            "$ref": "#/components/schemas/Labels"
          },
          "quota": {
            "$ref": "#/components/schemas/QuotaLimits",
            "unevaluatedProperties": false
          }
        }
      },
      "TenantUpdate": {
        "type": "object",
        "additionalProperties": false,
        "minProperties": 1,
        "properties": {
          "displayName": {
            "$ref": "#/components/schemas/LocalizedText",
            "unevaluatedProperties": false
          },
          "labels": {
            "$ref": "#/components/schemas/LabelsPatch"
          }
        }
      },
      "TenantList": {
        "type": "object",
        "required": [
          "data",
          "nextCursor"
        ],
        "properties": {
          "data": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Tenant"
            }
          },
          "nextCursor": {
            "$ref": "#/components/schemas/NextCursor"
          }
        }
      },
      "QuotaLimits": {
        "type": "object",
        "required": [
          "instances",
          "apps",
          "memoryMb",
          "storageMb",
          "replicas"
        ],
        "properties": {
          "instances": {
            "type": [
              "integer",
              "null"
            ],
            "minimum": 0
          },
          "apps": {
            "type": [
              "integer",
              "null"
            ],
            "minimum": 0
          },
          "memoryMb": {
            "type": [
              "integer",
              "null"
            ],
            "minimum": 0
          },
          "storageMb": {
            "type": [
              "integer",
              "null"
            ],
            "minimum": 0
          },
          "replicas": {
            "type": [
              "integer",
              "null"
            ],
            "minimum": 0
          }
        }
      },
      "Quota": {
        "type": "object",
        "required": [
          "tenantId",
          "limits",
          "effective"
        ],
        "properties": {
          "tenantId": {
            "$ref": "#/components/schemas/TenantId"
          },
          "limits": {
            "$ref": "#/components/schemas/QuotaLimits"
          },
          "effective": {
            "$ref": "#/components/schemas/QuotaLimits"
          }
        }
      },
      "QuotaUsage": {
        "type": "object",
        "required": [
          "instances",
          "apps",
          "memoryMb",
          "storageMb",
          "replicas"
        ],
        "properties": {
          "instances": {
            "type": "integer",
            "minimum": 0
          },
          "apps": {
            "type": "integer",
            "minimum": 0
          },
          "memoryMb": {
            "type": "integer",
            "minimum": 0
          },
          "storageMb": {
            "type": "integer",
            "minimum": 0
          },
          "replicas": {
            "type": "integer",
            "minimum": 0
          }
        }
      },
      "ServiceUsage": {
        "type": "object",
        "required": [
          "serviceId",
          "instances",
          "storageMb"
        ],
        "properties": {
          "serviceId": {
            "$ref": "#/components/schemas/ServiceId"
          },
          "instances": {
            "type": "integer",
            "minimum": 0
          },
          "storageMb": {
            "type": "integer",
            "minimum": 0
          }
        }
      },
      "TenantUsage": {
        "type": "object",
        "required": [
          "tenantId",
          "asOf",
          "includesDescendants",
          "used",
          "limits",
          "byService"
        ],
        "properties": {
          "tenantId": {
            "$ref": "#/components/schemas/TenantId"
          },
          "asOf": {
            "type": "string",
            "format": "date-time"
          },
          "includesDescendants": {
            "type": "boolean"
          },
          "used": {
            "$ref": "#/components/schemas/QuotaUsage"
          },
          "limits": {
            "$ref": "#/components/schemas/QuotaLimits"
          },
          "byService": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ServiceUsage"
            }
          }
        }
      },
      "MemberPrincipal": {
        "type": "object",
        "required": [
          "type",
          "id"
        ],
        "properties": {
          "type": {
            "type": "string",
            "enum": [
              "user",
              "oidc"
            ]
          },
          "id": {
            "type": "string",
            "minLength": 1,
            "maxLength": 320
          }
        }
      },
      "Member": {
        "type": "object",
        "required": [
          "id",
          "tenantId",
          "principal",
          "displayName",
          "role",
          "createdAt",
          "updatedAt",
          "createdBy"
        ],
        "properties": {
          "id": {
            "$ref": "#/components/schemas/MemberId",
            "readOnly": true
          },
          "tenantId": {
            "$ref": "#/components/schemas/TenantId"
          },
          "principal": {
            "$ref": "#/components/schemas/MemberPrincipal"
          },
          "displayName": {
            "type": [
              "string",
              "null"
            ]
          },
          "role": {
            "$ref": "#/components/schemas/Role"
          },
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "readOnly": true
          },
          "updatedAt": {
            "type": "string",
            "format": "date-time",
            "readOnly": true
          },
          "createdBy": {
            "type": "string",
            "readOnly": true
          }
        }
      },
      "MemberCreate": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "principal",
          "role"
        ],
        "properties": {
          "principal": {
            "$ref": "#/components/schemas/MemberPrincipal",
            "unevaluatedProperties": false
          },
          "displayName": {
            "type": "string",
            "minLength": 1,
            "maxLength": 100
          },
          "role": {
            "$ref": "#/components/schemas/Role"
          }
        }
      },
      "MemberUpdate": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "role"
        ],
        "properties": {
          "role": {
            "$ref": "#/components/schemas/Role"
          }
        }
      },
      "MemberList": {
        "type": "object",
        "required": [
          "data",
          "nextCursor"
        ],
        "properties": {
          "data": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Member"
            }
          },
          "nextCursor": {
            "$ref": "#/components/schemas/NextCursor"
          }
        }
      },
      "Token": {
        "type": "object",
        "required": [
          "id",
          "name",
          "tenantId",
          "role",
          "prefix",
          "createdAt",
          "expiresAt",
          "lastUsedAt",
          "revokedAt",
          "createdBy"
        ],
        "properties": {
          "id": {
            "$ref": "#/components/schemas/TokenId",
            "readOnly": true
          },
          "name": {
            "type": "string"
          },
          "tenantId": {
            "$ref": "#/components/schemas/TenantId"
          },
          "role": {
            "$ref": "#/components/schemas/Role"
          },
          "prefix": {
            "type": "string",
            "readOnly": true,
            "pattern": "^[A-Za-z0-9_-]{8}$"
          },
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "readOnly": true
          },
          "expiresAt": {
            "type": "string",
            "format": "date-time"
          },
          "lastUsedAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time",
            "readOnly": true
          },
          "revokedAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time",
            "readOnly": true
          },
          "createdBy": {
            "type": "string",
            "readOnly": true
          }
        }
      },
      "TokenWithSecret": {
        "allOf": [
          {
            "$ref": "#/components/schemas/Token"
          },
          {
            "type": "object",
            "required": [
              "secret"
            ],
            "properties": {
              "secret": {
                "type": "string",
                "readOnly": true,
                "pattern": "^zw_[A-Za-z0-9_-]{40,}$"
              }
            }
          }
        ]
      },
      "TokenCreate": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "name",
          "tenantId",
          "role"
        ],
        "properties": {
          "name": {
            "type": "string",
            "minLength": 1,
            "maxLength": 100
          },
          "tenantId": {
            "$ref": "#/components/schemas/TenantId"
          },
          "role": {
            "type": "string",
            "enum": [
              "tenant-admin",
              "developer",
              "auditor"
            ]
          },
          "expiresAt": {
            "type": "string",
            "format": "date-time"
          },
          "expiresInDays": {
            "type": "integer",
            "minimum": 1,
            "maximum": 366
          }
        }
      },
      "TokenList": {
        "type": "object",
        "required": [
          "data",
          "nextCursor"
        ],
        "properties": {
          "data": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Token"
            }
          },
          "nextCursor": {
            "$ref": "#/components/schemas/NextCursor"
          }
        }
      },
      "InstanceState": {
        "type": "string",
        "enum": [
          "provisioning",
          "ready",
          "updating",
          "deprovisioning",
          "deleted",
          "failed"
        ]
      },
      "Instance": {
        "type": "object",
        "required": [
          "id",
          "tenantId",
          "name",
          "service",
          "plan",
          "parameters",
          "labels",
          "state",
          "pool",
          "dashboardUrl",
          "lastOperation",
          "createdAt",
          "updatedAt"
        ],
        "properties": {
          "id": {
            "$ref": "#/components/schemas/InstanceId",
            "readOnly": true
          },
          "tenantId": {
            "$ref": "#/components/schemas/TenantId"
          },
          "name": {
            "$ref": "#/components/schemas/ResourceName"
          },
          "service": {
            "$ref": "#/components/schemas/ServiceId"
          },
          "plan": {
            "$ref": "#/components/schemas/PlanId"
          },
          "parameters": {
            "type": "object",
            "additionalProperties": true
          },
          "labels": {
            "$ref": "#/components/schemas/Labels"
          },
          "state": {
            "$ref": "#/components/schemas/InstanceState",
            "readOnly": true
          },
          "pool": {
            "type": [
              "string",
              "null"
            ],
            "readOnly": true
          },
          "dashboardUrl": {
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "readOnly": true
          },
          "lastOperation": {
            "readOnly": true,
            "oneOf": [
              {
                "$ref": "#/components/schemas/OperationRef"
              },
              {
                "type": "null"
              }
            ]
          },
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "readOnly": true
          },
          "updatedAt": {
            "type": "string",
            "format": "date-time",
            "readOnly": true
          }
        }
      },
      "InstanceCreate": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "name",
          "service",
          "plan"
        ],
        "properties": {
          "tenantId": {
            "$ref": "#/components/schemas/TenantId"
          },
          "name": {
            "$ref": "#/components/schemas/ResourceName"
          },
          "service": {
            "$ref": "#/components/schemas/ServiceId"
          },
          "plan": {
            "$ref": "#/components/schemas/PlanId"
          },
          "parameters": {
            "type": "object",
            "additionalProperties": true,
            "default": {}
          },
          "labels": {
            "$ref": "#/components/schemas/Labels"
          }
        }
      },
      "InstanceUpdate": {
        "type": "object",
        "additionalProperties": false,
        "minProperties": 1,
        "properties": {
          "plan": {
            "$ref": "#/components/schemas/PlanId"
          },
          "parameters": {
            "type": "object",
            "additionalProperties": true
          },
          "labels": {
            "$ref": "#/components/schemas/LabelsPatch"
          }
        }
      },
      "InstanceUsage": {
        "type": "object",
        "required": [
          "instanceId",
          "asOf",
          "storageMb"
        ],
        "properties": {
          "instanceId": {
            "$ref": "#/components/schemas/InstanceId"
          },
          "asOf": {
            "type": "string",
            "format": "date-time"
          },
          "storageMb": {
            "type": "integer",
            "minimum": 0
          },
          "connections": {
            "type": "integer",
            "minimum": 0
          },
          "memoryMb": {
            "type": "integer",
            "minimum": 0
          },
          "messages": {
            "type": "integer",
            "minimum": 0
          }
        }
      },
      "InstanceList": {
        "type": "object",
        "required": [
          "data",
          "nextCursor"
        ],
        "properties": {
          "data": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Instance"
            }
          },
          "nextCursor": {
            "$ref": "#/components/schemas/NextCursor"
          }
        }
      },
      "BindingState": {
        "type": "string",
        "enum": [
          "creating",
          "ready",
          "rotating",
          "deleting",
          "deleted",
          "failed"
        ]
      },
      "Binding": {
        "type": "object",
        "required": [
          "id",
          "tenantId",
          "instanceId",
          "appId",
          "name",
          "state",
          "credentialsVersion",
          "rotatedAt",
          "lastOperation",
          "createdAt",
          "updatedAt"
        ],
        "properties": {
          "id": {
            "$ref": "#/components/schemas/BindingId",
            "readOnly": true
          },
          "tenantId": {
            "$ref": "#/components/schemas/TenantId"
          },
          "instanceId": {
            "$ref": "#/components/schemas/InstanceId"
          },
          "appId": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/AppId"
              },
              {
                "type": "null"
              }
            ]
          },
          "name": {
            "$ref": "#/components/schemas/ResourceName"
          },
          "state": {
            "$ref": "#/components/schemas/BindingState",
            "readOnly": true
          },
          "credentialsVersion": {
            "type": "integer",
            "minimum": 1,
            "readOnly": true
          },
          "rotatedAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time",
            "readOnly": true
          },
          "lastOperation": {
            "readOnly": true,
            "oneOf": [
              {
                "$ref": "#/components/schemas/OperationRef"
              },
              {
                "type": "null"
              }
            ]
          },
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "readOnly": true
          },
          "updatedAt": {
            "type": "string",
            "format": "date-time",
            "readOnly": true
          }
        }
      },
      "BindingCreate": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "instanceId",
          "name"
        ],
        "properties": {
          "instanceId": {
            "$ref": "#/components/schemas/InstanceId"
          },
          "name": {
            "$ref": "#/components/schemas/ResourceName"
          },
          "appId": {
            "$ref": "#/components/schemas/AppId"
          },
          "parameters": {
            "type": "object",
            "additionalProperties": true
          }
        }
      },
      "BindingRotate": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "gracePeriodSeconds": {
            "type": "integer",
            "minimum": 0,
            "maximum": 86400,
            "default": 0
          }
        }
      },
      "BindingCredentials": {
        "type": "object",
        "required": [
          "bindingId",
          "version",
          "credentials",
          "issuedAt"
        ],
        "properties": {
          "bindingId": {
            "$ref": "#/components/schemas/BindingId"
          },
          "version": {
            "type": "integer",
            "minimum": 1
          },
          "credentials": {
            "type": "object",
            "additionalProperties": true
          },
          "issuedAt": {
            "type": "string",
            "format": "date-time"
          }
        }
      },
      "BindingList": {
        "type": "object",
        "required": [
          "data",
          "nextCursor"
        ],
        "properties": {
          "data": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Binding"
            }
          },
          "nextCursor": {
            "$ref": "#/components/schemas/NextCursor"
          }
        }
      },
      "OperationType": {
        "type": "string",
        "enum": [
          "instance.provision",
          "instance.update",
          "instance.deprovision",
          "binding.create",
          "binding.rotate",
          "binding.delete",
          "release.build",
          "release.deploy",
          "app.rollback",
          "app.restart",
          "app.delete"
        ]
      },
      "OperationState": {
        "type": "string",
        "enum": [
          "pending",
          "running",
          "succeeded",
          "failed",
          "canceled"
        ]
      },
      "OperationTarget": {
        "type": "object",
        "required": [
          "type",
          "id"
        ],
        "properties": {
          "type": {
            "type": "string",
            "enum": [
              "instance",
              "binding",
              "app",
              "release"
            ]
          },
          "id": {
            "$ref": "#/components/schemas/OperationTargetId"
          }
        }
      },
      "OperationProgress": {
        "type": "object",
        "required": [
          "percent",
          "step",
          "message"
        ],
        "properties": {
          "percent": {
            "type": "integer",
            "minimum": 0,
            "maximum": 100
          },
          "step": {
            "type": [
              "string",
              "null"
            ]
          },
          "message": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/LocalizedText"
              },
              {
                "type": "null"
              }
            ]
          }
        }
      },
      "Operation": {
        "type": "object",
        "required": [
          "id",
          "tenantId",
          "type",
          "state",
          "target",
          "progress",
          "attempts",
          "error",
          "createdAt",
          "startedAt",
          "finishedAt",
          "updatedAt"
        ],
        "properties": {
          "id": {
            "$ref": "#/components/schemas/OperationId",
            "readOnly": true
          },
          "tenantId": {
            "$ref": "#/components/schemas/TenantId"
          },
          "type": {
            "$ref": "#/components/schemas/OperationType"
          },
          "state": {
            "$ref": "#/components/schemas/OperationState"
          },
          "target": {
            "$ref": "#/components/schemas/OperationTarget"
          },
          "progress": {
            "$ref": "#/components/schemas/OperationProgress"
          },
          "attempts": {
            "type": "integer",
            "minimum": 0
          },
          "error": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/Problem"
              },
              {
                "type": "null"
              }
            ]
          },
          "createdAt": {
            "type": "string",
            "format": "date-time"
          },
          "startedAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "finishedAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "updatedAt": {
            "type": "string",
            "format": "date-time"
          }
        }
      },
      "OperationList": {
        "type": "object",
        "required": [
          "data",
          "nextCursor"
        ],
        "properties": {
          "data": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Operation"
            }
          },
          "nextCursor": {
            "$ref": "#/components/schemas/NextCursor"
          }
        }
      },
      "AppState": {
        "type": "string",
        "enum": [
          "created",
          "deploying",
          "running",
          "degraded",
          "stopped",
          "failed",
          "deleting",
          "deleted"
        ]
      },
      "Route": {
        "type": "object",
        "required": [
          "host",
          "path"
        ],
        "properties": {
          "host": {
            "type": "string",
            "format": "hostname"
          },
          "path": {
            "type": "string",
            "pattern": "^/"
          }
        }
      },
      "AppProcess": {
        "type": "object",
        "required": [
          "type",
          "replicas",
          "ready",
          "memoryMb"
        ],
        "properties": {
          "type": {
            "$ref": "#/components/schemas/ProcessType"
          },
          "replicas": {
            "type": "integer",
            "minimum": 0
          },
          "ready": {
            "type": "integer",
            "minimum": 0
          },
          "memoryMb": {
            "type": "integer",
            "minimum": 64
          }
        }
      },
      "EnvVars": {
        "type": "object",
        "maxProperties": 200,
        "propertyNames": {
          "pattern": "^[A-Z_][A-Z0-9_]{0,127}$"
        },
        "additionalProperties": {
          "type": "string",
          "maxLength": 32768
        }
      },
      "EnvPatch": {
        "type": "object",
        "maxProperties": 200,
        "propertyNames": {
          "pattern": "^[A-Z_][A-Z0-9_]{0,127}$"
        },
        "additionalProperties": {
          "type": [
            "string",
            "null"
          ],
          "maxLength": 32768
        }
      },
      "App": {
        "type": "object",
        "required": [
          "id",
          "tenantId",
          "name",
          "state",
          "currentReleaseId",
          "url",
          "routes",
          "processes",
          "env",
          "labels",
          "lastOperation",
          "createdAt",
          "updatedAt"
        ],
        "properties": {
          "id": {
            "$ref": "#/components/schemas/AppId",
            "readOnly": true
          },
          "tenantId": {
            "$ref": "#/components/schemas/TenantId"
          },
          "name": {
            "$ref": "#/components/schemas/ResourceName"
          },
          "state": {
            "$ref": "#/components/schemas/AppState",
            "readOnly": true
          },
          "currentReleaseId": {
            "readOnly": true,
            "oneOf": [
              {
                "$ref": "#/components/schemas/ReleaseId"
              },
              {
                "type": "null"
              }
            ]
          },
          "url": {
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "readOnly": true
          },
          "routes": {
            "type": "array",
            "readOnly": true,
            "items": {
              "$ref": "#/components/schemas/Route"
            }
          },
          "processes": {
            "type": "array",
            "readOnly": true,
            "items": {
              "$ref": "#/components/schemas/AppProcess"
            }
          },
          "env": {
            "$ref": "#/components/schemas/EnvVars"
          },
          "labels": {
            "$ref": "#/components/schemas/Labels"
          },
          "lastOperation": {
            "readOnly": true,
            "oneOf": [
              {
                "$ref": "#/components/schemas/OperationRef"
              },
              {
                "type": "null"
              }
            ]
          },
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "readOnly": true
          },
          "updatedAt": {
            "type": "string",
            "format": "date-time",
            "readOnly": true
          }
        }
      },
      "AppCreate": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "name"
        ],
        "properties": {
          "tenantId": {
            "$ref": "#/components/schemas/TenantId"
          },
          "name": {
            "$ref": "#/components/schemas/ResourceName"
          },
          "labels": {
            "$ref": "#/components/schemas/Labels"
          }
        }
      },
      "AppUpdate": {
        "type": "object",
        "additionalProperties": false,
        "minProperties": 1,
        "properties": {
          "labels": {
            "$ref": "#/components/schemas/LabelsPatch"
          },
          "env": {
            "$ref": "#/components/schemas/EnvPatch"
          }
        }
      },
      "AppRestart": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "process": {
            "$ref": "#/components/schemas/ProcessType"
          }
        }
      },
      "AppList": {
        "type": "object",
        "required": [
          "data",
          "nextCursor"
        ],
        "properties": {
          "data": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/App"
            }
          },
          "nextCursor": {
            "$ref": "#/components/schemas/NextCursor"
          }
        }
      },
      "Source": {
        "type": "object",
        "required": [
          "id",
          "appId",
          "sha256",
          "sizeBytes",
          "createdAt"
        ],
        "properties": {
          "id": {
            "$ref": "#/components/schemas/SourceId",
            "readOnly": true
          },
          "appId": {
            "$ref": "#/components/schemas/AppId"
          },
          "sha256": {
            "$ref": "#/components/schemas/Sha256"
          },
          "sizeBytes": {
            "type": "integer",
            "minimum": 1,
            "maximum": 209715200
          },
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "readOnly": true
          }
        }
      },
      "Sha256": {
        "type": "string",
        "pattern": "^[0-9a-f]{64}$"
      },
      "ReleaseState": {
        "type": "string",
        "enum": [
          "pending",
          "building",
          "releasing",
          "deploying",
          "succeeded",
          "failed",
          "superseded"
        ]
      },
      "Release": {
        "type": "object",
        "required": [
          "id",
          "appId",
          "tenantId",
          "version",
          "state",
          "sourceId",
          "artifactSha256",
          "rollbackOf",
          "description",
          "manifest",
          "failure",
          "lastOperation",
          "createdAt",
          "finishedAt"
        ],
        "properties": {
          "id": {
            "$ref": "#/components/schemas/ReleaseId",
            "readOnly": true
          },
          "appId": {
            "$ref": "#/components/schemas/AppId"
          },
          "tenantId": {
            "$ref": "#/components/schemas/TenantId"
          },
          "version": {
            "type": "integer",
            "minimum": 1,
            "readOnly": true
          },
          "state": {
            "$ref": "#/components/schemas/ReleaseState",
            "readOnly": true
          },
          "sourceId": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/SourceId"
              },
              {
                "type": "null"
              }
            ]
          },
          "artifactSha256": {
            "readOnly": true,
            "oneOf": [
              {
                "$ref": "#/components/schemas/Sha256"
              },
              {
                "type": "null"
              }
            ]
          },
          "rollbackOf": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/ReleaseId"
              },
              {
                "type": "null"
              }
            ]
          },
          "description": {
            "type": [
              "string",
              "null"
            ]
          },
          "manifest": {
            "type": "object",
            "additionalProperties": true
          },
          "failure": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/Problem"
              },
              {
                "type": "null"
              }
            ]
          },
          "lastOperation": {
            "readOnly": true,
            "oneOf": [
              {
                "$ref": "#/components/schemas/OperationRef"
              },
              {
                "type": "null"
              }
            ]
          },
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "readOnly": true
          },
          "finishedAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time",
            "readOnly": true
          }
        }
      },
      "ReleaseCreate": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "sourceId",
          "manifest"
        ],
        "properties": {
          "sourceId": {
            "$ref": "#/components/schemas/SourceId"
          },
          "manifest": {
            "type": "object",
            "additionalProperties": true
          },
          "description": {
            "type": "string",
            "maxLength": 500
          }
        }
      },
      "Rollback": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "releaseId"
        ],
        "properties": {
          "releaseId": {
            "$ref": "#/components/schemas/ReleaseId"
          }
        }
      },
      "ReleaseList": {
        "type": "object",
        "required": [
          "data",
          "nextCursor"
        ],
        "properties": {
          "data": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Release"
            }
          },
          "nextCursor": {
            "$ref": "#/components/schemas/NextCursor"
          }
        }
      },
      "ProcessScale": {
        "type": "object",
        "required": [
          "type",
          "replicas",
          "memoryMb"
        ],
        "properties": {
          "type": {
            "$ref": "#/components/schemas/ProcessType"
          },
          "replicas": {
            "type": "integer",
            "minimum": 0,
            "maximum": 100
          },
          "memoryMb": {
            "type": "integer",
            "minimum": 64,
            "maximum": 65536
          }
        }
      },
      "Scale": {
        "type": "object",
        "required": [
          "appId",
          "processes"
        ],
        "properties": {
          "appId": {
            "$ref": "#/components/schemas/AppId"
          },
          "processes": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ProcessScale"
            }
          }
        }
      },
      "ScaleUpdate": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "processes"
        ],
        "properties": {
          "processes": {
            "type": "array",
            "minItems": 1,
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "type",
                "replicas"
              ],
              "properties": {
                "type": {
                  "$ref": "#/components/schemas/ProcessType"
                },
                "replicas": {
                  "type": "integer",
                  "minimum": 0,
                  "maximum": 100
                },
                "memoryMb": {
                  "type": "integer",
                  "minimum": 64,
                  "maximum": 65536
                }
              }
            }
          }
        }
      },
      "AutoscalingTarget": {
        "type": "object",
        "required": [
          "metric",
          "value"
        ],
        "properties": {
          "metric": {
            "type": "string",
            "enum": [
              "cpu",
              "memory",
              "requestsPerSecond"
            ]
          },
          "value": {
            "type": "number",
            "exclusiveMinimum": 0
          }
        }
      },
      "AutoscalingCooldown": {
        "type": "object",
        "required": [
          "scaleUpSeconds",
          "scaleDownSeconds"
        ],
        "properties": {
          "scaleUpSeconds": {
            "type": "integer",
            "minimum": 0,
            "maximum": 3600
          },
          "scaleDownSeconds": {
            "type": "integer",
            "minimum": 0,
            "maximum": 3600
          }
        }
      },
      "AutoscalingPolicy": {
        "type": "object",
        "required": [
          "appId",
          "enabled",
          "process",
          "minReplicas",
          "maxReplicas",
          "target",
          "cooldown",
          "updatedAt"
        ],
        "properties": {
          "appId": {
            "$ref": "#/components/schemas/AppId"
          },
          "enabled": {
            "type": "boolean"
          },
          "process": {
            "$ref": "#/components/schemas/ProcessType"
          },
          "minReplicas": {
            "type": "integer",
            "minimum": 0,
            "maximum": 100
          },
          "maxReplicas": {
            "type": "integer",
            "minimum": 1,
            "maximum": 100
          },
          "target": {
            "$ref": "#/components/schemas/AutoscalingTarget"
          },
          "cooldown": {
            "$ref": "#/components/schemas/AutoscalingCooldown"
          },
          "updatedAt": {
            "type": "string",
            "format": "date-time",
            "readOnly": true
          }
        }
      },
      "AutoscalingPolicyUpdate": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "minReplicas",
          "maxReplicas",
          "target"
        ],
        "properties": {
          "enabled": {
            "type": "boolean",
            "default": true
          },
          "process": {
            "$ref": "#/components/schemas/ProcessType",
            "default": "web"
          },
          "minReplicas": {
            "type": "integer",
            "minimum": 0,
            "maximum": 100
          },
          "maxReplicas": {
            "type": "integer",
            "minimum": 1,
            "maximum": 100
          },
          "target": {
            "$ref": "#/components/schemas/AutoscalingTarget",
            "unevaluatedProperties": false
          },
          "cooldown": {
            "$ref": "#/components/schemas/AutoscalingCooldown",
            "unevaluatedProperties": false
          }
        }
      },
      "Schedule": {
        "oneOf": [
          {
            "$ref": "#/components/schemas/RecurringSchedule"
          },
          {
            "$ref": "#/components/schemas/SpecificDateSchedule"
          }
        ],
        "discriminator": {
          "propertyName": "kind"
        }
      },
      "RecurringSchedule": {
        "type": "object",
        "required": [
          "id",
          "appId",
          "name",
          "kind",
          "process",
          "timezone",
          "start",
          "end",
          "minReplicas",
          "maxReplicas",
          "enabled",
          "createdAt",
          "updatedAt"
        ],
        "properties": {
          "id": {
            "$ref": "#/components/schemas/ScheduleId",
            "readOnly": true
          },
          "appId": {
            "$ref": "#/components/schemas/AppId"
          },
          "name": {
            "$ref": "#/components/schemas/ResourceName"
          },
          "kind": {
            "type": "string",
            "enum": [
              "recurring"
            ]
          },
          "process": {
            "$ref": "#/components/schemas/ProcessType"
          },
          "timezone": {
            "$ref": "#/components/schemas/TimeZone"
          },
          "start": {
            "$ref": "#/components/schemas/CronExpression"
          },
          "end": {
            "$ref": "#/components/schemas/CronExpression"
          },
          "minReplicas": {
            "type": "integer",
            "minimum": 0,
            "maximum": 100
          },
          "maxReplicas": {
            "type": "integer",
            "minimum": 1,
            "maximum": 100
          },
          "initialReplicas": {
            "type": "integer",
            "minimum": 0,
            "maximum": 100
          },
          "enabled": {
            "type": "boolean"
          },
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "readOnly": true
          },
          "updatedAt": {
            "type": "string",
            "format": "date-time",
            "readOnly": true
          }
        }
      },
      "SpecificDateSchedule": {
        "type": "object",
        "required": [
          "id",
          "appId",
          "name",
          "kind",
          "process",
          "timezone",
          "startAt",
          "endAt",
          "minReplicas",
          "maxReplicas",
          "enabled",
          "createdAt",
          "updatedAt"
        ],
        "properties": {
          "id": {
            "$ref": "#/components/schemas/ScheduleId",
            "readOnly": true
          },
          "appId": {
            "$ref": "#/components/schemas/AppId"
          },
          "name": {
            "$ref": "#/components/schemas/ResourceName"
          },
          "kind": {
            "type": "string",
            "enum": [
              "specificDate"
            ]
          },
          "process": {
            "$ref": "#/components/schemas/ProcessType"
          },
          "timezone": {
            "$ref": "#/components/schemas/TimeZone"
          },
          "startAt": {
            "type": "string",
            "format": "date-time"
          },
          "endAt": {
            "type": "string",
            "format": "date-time"
          },
          "minReplicas": {
            "type": "integer",
            "minimum": 0,
            "maximum": 100
          },
          "maxReplicas": {
            "type": "integer",
            "minimum": 1,
            "maximum": 100
          },
          "initialReplicas": {
            "type": "integer",
            "minimum": 0,
            "maximum": 100
          },
          "enabled": {
            "type": "boolean"
          },
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "readOnly": true
          },
          "updatedAt": {
            "type": "string",
            "format": "date-time",
            "readOnly": true
          }
        }
      },
      "ScheduleCreate": {
        "oneOf": [
          {
            "$ref": "#/components/schemas/RecurringScheduleCreate"
          },
          {
            "$ref": "#/components/schemas/SpecificDateScheduleCreate"
          }
        ],
        "discriminator": {
          "propertyName": "kind"
        }
      },
      "ScheduleUpdate": {
        "$ref": "#/components/schemas/ScheduleCreate"
      },
      "RecurringScheduleCreate": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "name",
          "kind",
          "start",
          "end",
          "minReplicas",
          "maxReplicas"
        ],
        "properties": {
          "name": {
            "$ref": "#/components/schemas/ResourceName"
          },
          "kind": {
            "type": "string",
            "enum": [
              "recurring"
            ]
          },
          "process": {
            "$ref": "#/components/schemas/ProcessType",
            "default": "web"
          },
          "timezone": {
            "$ref": "#/components/schemas/TimeZone",
            "default": "Asia/Shanghai"
          },
          "start": {
            "$ref": "#/components/schemas/CronExpression"
          },
          "end": {
            "$ref": "#/components/schemas/CronExpression"
          },
          "minReplicas": {
            "type": "integer",
            "minimum": 0,
            "maximum": 100
          },
          "maxReplicas": {
            "type": "integer",
            "minimum": 1,
            "maximum": 100
          },
          "initialReplicas": {
            "type": "integer",
            "minimum": 0,
            "maximum": 100
          },
          "enabled": {
            "type": "boolean",
            "default": true
          }
        }
      },
      "SpecificDateScheduleCreate": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "name",
          "kind",
          "startAt",
          "endAt",
          "minReplicas",
          "maxReplicas"
        ],
        "properties": {
          "name": {
            "$ref": "#/components/schemas/ResourceName"
          },
          "kind": {
            "type": "string",
            "enum": [
              "specificDate"
            ]
          },
          "process": {
            "$ref": "#/components/schemas/ProcessType",
            "default": "web"
          },
          "timezone": {
            "$ref": "#/components/schemas/TimeZone",
            "default": "Asia/Shanghai"
          },
          "startAt": {
            "type": "string",
            "format": "date-time"
          },
          "endAt": {
            "type": "string",
            "format": "date-time"
          },
          "minReplicas": {
            "type": "integer",
            "minimum": 0,
            "maximum": 100
          },
          "maxReplicas": {
            "type": "integer",
            "minimum": 1,
            "maximum": 100
          },
          "initialReplicas": {
            "type": "integer",
            "minimum": 0,
            "maximum": 100
          },
          "enabled": {
            "type": "boolean",
            "default": true
          }
        }
      },
      "CronExpression": {
        "type": "string",
        "pattern": "^\\S+( \\S+){4}$"
      },
      "TimeZone": {
        "type": "string",
        "pattern": "^[A-Za-z]+(?:/[A-Za-z0-9_+-]+)*$"
      },
      "ScheduleList": {
        "type": "object",
        "required": [
          "data",
          "nextCursor"
        ],
        "properties": {
          "data": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Schedule"
            }
          },
          "nextCursor": {
            "$ref": "#/components/schemas/NextCursor"
          }
        }
      },
      "ScalingReason": {
        "type": "object",
        "required": [
          "kind",
          "message"
        ],
        "properties": {
          "kind": {
            "type": "string",
            "enum": [
              "manual",
              "autoscaler",
              "schedule",
              "rollout"
            ]
          },
          "metric": {
            "type": "string",
            "enum": [
              "cpu",
              "memory",
              "requestsPerSecond"
            ]
          },
          "observed": {
            "type": "number"
          },
          "target": {
            "type": "number"
          },
          "scheduleId": {
            "$ref": "#/components/schemas/ScheduleId"
          },
          "message": {
            "$ref": "#/components/schemas/LocalizedText"
          }
        }
      },
      "ScalingEvent": {
        "type": "object",
        "required": [
          "id",
          "appId",
          "process",
          "fromReplicas",
          "toReplicas",
          "reason",
          "principalId",
          "createdAt"
        ],
        "properties": {
          "id": {
            "$ref": "#/components/schemas/ScalingEventId",
            "readOnly": true
          },
          "appId": {
            "$ref": "#/components/schemas/AppId"
          },
          "process": {
            "$ref": "#/components/schemas/ProcessType"
          },
          "fromReplicas": {
            "type": "integer",
            "minimum": 0
          },
          "toReplicas": {
            "type": "integer",
            "minimum": 0
          },
          "reason": {
            "$ref": "#/components/schemas/ScalingReason"
          },
          "principalId": {
            "type": [
              "string",
              "null"
            ]
          },
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "readOnly": true
          }
        }
      },
      "ScalingEventList": {
        "type": "object",
        "required": [
          "data",
          "nextCursor"
        ],
        "properties": {
          "data": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ScalingEvent"
            }
          },
          "nextCursor": {
            "$ref": "#/components/schemas/NextCursor"
          }
        }
      },
      "LogSource": {
        "type": "string",
        "enum": [
          "app",
          "build",
          "release",
          "router",
          "platform"
        ]
      },
      "LogEntry": {
        "type": "object",
        "required": [
          "time",
          "appId",
          "releaseId",
          "process",
          "replica",
          "source",
          "stream",
          "message"
        ],
        "properties": {
          "time": {
            "type": "string",
            "format": "date-time"
          },
          "appId": {
            "$ref": "#/components/schemas/AppId"
          },
          "releaseId": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/ReleaseId"
              },
              {
                "type": "null"
              }
            ]
          },
          "process": {
            "type": "string"
          },
          "replica": {
            "type": [
              "integer",
              "null"
            ],
            "minimum": 0
          },
          "source": {
            "$ref": "#/components/schemas/LogSource"
          },
          "stream": {
            "type": "string",
            "enum": [
              "stdout",
              "stderr",
              "system"
            ]
          },
          "message": {
            "type": "string"
          }
        }
      },
      "AuditOutcome": {
        "type": "string",
        "enum": [
          "success",
          "failure",
          "denied"
        ]
      },
      "AuditAction": {
        "type": "string",
        "pattern": "^[a-z][a-z0-9-]*(?:\\.[a-z][a-z0-9-]*)+$"
      },
      "AuditPrincipal": {
        "type": "object",
        "required": [
          "type",
          "id",
          "name"
        ],
        "properties": {
          "type": {
            "type": "string",
            "enum": [
              "user",
              "token",
              "oidc",
              "system",
              "anonymous"
            ]
          },
          "id": {
            "type": [
              "string",
              "null"
            ]
          },
          "name": {
            "type": [
              "string",
              "null"
            ]
          }
        }
      },
      "AuditTarget": {
        "type": "object",
        "required": [
          "type",
          "id"
        ],
        "properties": {
          "type": {
            "type": "string"
          },
          "id": {
            "type": "string"
          }
        }
      },
      "AuditEvent": {
        "type": "object",
        "required": [
          "id",
          "sequence",
          "occurredAt",
          "principal",
          "tenantId",
          "action",
          "target",
          "outcome",
          "reason",
          "sourceIp",
          "userAgent",
          "requestId",
          "prevHash",
          "hash"
        ],
        "properties": {
          "id": {
            "$ref": "#/components/schemas/AuditEventId",
            "readOnly": true
          },
          "sequence": {
            "type": "integer",
            "minimum": 1
          },
          "occurredAt": {
            "type": "string",
            "format": "date-time"
          },
          "principal": {
            "$ref": "#/components/schemas/AuditPrincipal"
          },
          "tenantId": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/TenantId"
              },
              {
                "type": "null"
              }
            ]
          },
          "action": {
            "$ref": "#/components/schemas/AuditAction"
          },
          "target": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/AuditTarget"
              },
              {
                "type": "null"
              }
            ]
          },
          "outcome": {
            "$ref": "#/components/schemas/AuditOutcome"
          },
          "reason": {
            "type": [
              "string",
              "null"
            ]
          },
          "sourceIp": {
            "type": "string"
          },
          "userAgent": {
            "type": [
              "string",
              "null"
            ]
          },
          "requestId": {
            "$ref": "#/components/schemas/RequestId"
          },
          "prevHash": {
            "$ref": "#/components/schemas/Sha256"
          },
          "hash": {
            "$ref": "#/components/schemas/Sha256"
          }
        }
      },
      "AuditEventList": {
        "type": "object",
        "required": [
          "data",
          "nextCursor"
        ],
        "properties": {
          "data": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/AuditEvent"
            }
          },
          "nextCursor": {
            "$ref": "#/components/schemas/NextCursor"
          }
        }
      },
      "AuditVerifyRequest": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "fromSequence": {
            "type": "integer",
            "minimum": 1
          },
          "toSequence": {
            "type": "integer",
            "minimum": 1
          }
        }
      },
      "ChainBreak": {
        "type": "object",
        "required": [
          "sequence",
          "eventId",
          "reason"
        ],
        "properties": {
          "sequence": {
            "type": "integer",
            "minimum": 1
          },
          "eventId": {
            "$ref": "#/components/schemas/AuditEventId"
          },
          "reason": {
            "type": "string",
            "enum": [
              "hash_mismatch",
              "prev_hash_mismatch",
              "sequence_gap",
              "anchor_mismatch"
            ]
          }
        }
      },
      "AuditVerification": {
        "type": "object",
        "required": [
          "valid",
          "checked",
          "firstSequence",
          "lastSequence",
          "firstBroken",
          "headHash",
          "algorithm",
          "verifiedAt"
        ],
        "properties": {
          "valid": {
            "type": "boolean"
          },
          "checked": {
            "type": "integer",
            "minimum": 1
          },
          "firstSequence": {
            "type": "integer",
            "minimum": 1
          },
          "lastSequence": {
            "type": "integer",
            "minimum": 1
          },
          "firstBroken": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/ChainBreak"
              },
              {
                "type": "null"
              }
            ]
          },
          "headHash": {
            "$ref": "#/components/schemas/Sha256"
          },
          "algorithm": {
            "type": "string",
            "enum": [
              "HMAC-SM3"
            ]
          },
          "verifiedAt": {
            "type": "string",
            "format": "date-time"
          }
        }
      }
    },
    "responses": {
      "NoContent": {
        "mediaType": null,
        "schema": null,
        "headers": {
          "x-request-id": {
            "required": true,
            "schema": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "idempotency-replayed": {
            "required": false,
            "schema": {
              "type": "string",
              "enum": [
                "true"
              ]
            }
          }
        }
      },
      "BadRequest": {
        "mediaType": "application/problem+json",
        "schema": {
          "$ref": "#/components/schemas/Problem"
        },
        "headers": {
          "x-request-id": {
            "required": true,
            "schema": {
              "$ref": "#/components/schemas/RequestId"
            }
          }
        }
      },
      "Unauthorized": {
        "mediaType": "application/problem+json",
        "schema": {
          "$ref": "#/components/schemas/Problem"
        },
        "headers": {
          "x-request-id": {
            "required": true,
            "schema": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "www-authenticate": {
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        }
      },
      "Forbidden": {
        "mediaType": "application/problem+json",
        "schema": {
          "$ref": "#/components/schemas/Problem"
        },
        "headers": {
          "x-request-id": {
            "required": true,
            "schema": {
              "$ref": "#/components/schemas/RequestId"
            }
          }
        }
      },
      "NotFound": {
        "mediaType": "application/problem+json",
        "schema": {
          "$ref": "#/components/schemas/Problem"
        },
        "headers": {
          "x-request-id": {
            "required": true,
            "schema": {
              "$ref": "#/components/schemas/RequestId"
            }
          }
        }
      },
      "Conflict": {
        "mediaType": "application/problem+json",
        "schema": {
          "$ref": "#/components/schemas/Problem"
        },
        "headers": {
          "x-request-id": {
            "required": true,
            "schema": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "x-should-retry": {
            "required": true,
            "schema": {
              "type": "string",
              "enum": [
                "true",
                "false"
              ]
            }
          }
        }
      },
      "PayloadTooLarge": {
        "mediaType": "application/problem+json",
        "schema": {
          "$ref": "#/components/schemas/Problem"
        },
        "headers": {
          "x-request-id": {
            "required": true,
            "schema": {
              "$ref": "#/components/schemas/RequestId"
            }
          }
        }
      },
      "UnsupportedMediaType": {
        "mediaType": "application/problem+json",
        "schema": {
          "$ref": "#/components/schemas/Problem"
        },
        "headers": {
          "x-request-id": {
            "required": true,
            "schema": {
              "$ref": "#/components/schemas/RequestId"
            }
          }
        }
      },
      "UnprocessableEntity": {
        "mediaType": "application/problem+json",
        "schema": {
          "$ref": "#/components/schemas/Problem"
        },
        "headers": {
          "x-request-id": {
            "required": true,
            "schema": {
              "$ref": "#/components/schemas/RequestId"
            }
          }
        }
      },
      "TooManyRequests": {
        "mediaType": "application/problem+json",
        "schema": {
          "$ref": "#/components/schemas/Problem"
        },
        "headers": {
          "x-request-id": {
            "required": true,
            "schema": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "retry-after": {
            "required": true,
            "schema": {
              "type": "integer",
              "minimum": 0
            }
          }
        }
      },
      "InternalError": {
        "mediaType": "application/problem+json",
        "schema": {
          "$ref": "#/components/schemas/Problem"
        },
        "headers": {
          "x-request-id": {
            "required": true,
            "schema": {
              "$ref": "#/components/schemas/RequestId"
            }
          }
        }
      },
      "ServiceUnavailable": {
        "mediaType": "application/problem+json",
        "schema": {
          "$ref": "#/components/schemas/Problem"
        },
        "headers": {
          "x-request-id": {
            "required": true,
            "schema": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "retry-after": {
            "required": true,
            "schema": {
              "type": "integer",
              "minimum": 0
            }
          }
        }
      }
    }
  },
  "operations": {
    "getHealth": {
      "anonymous": true,
      "parameters": {
        "path": null,
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Health"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "429": "TooManyRequests"
      }
    },
    "getReadiness": {
      "anonymous": true,
      "parameters": {
        "path": null,
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Readiness"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "429": "TooManyRequests",
        "503": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Readiness"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            },
            "retry-after": {
              "required": true,
              "schema": {
                "type": "integer",
                "minimum": 0
              }
            }
          }
        }
      }
    },
    "getMetrics": {
      "anonymous": false,
      "parameters": {
        "path": null,
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "text/plain; version=0.0.4",
          "schema": {
            "type": "string"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "getCurrentPrincipal": {
      "anonymous": false,
      "parameters": {
        "path": null,
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Principal"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "listServices": {
      "anonymous": false,
      "parameters": {
        "path": null,
        "query": {
          "type": "object",
          "properties": {
            "expand": {
              "type": "string",
              "enum": [
                "schemas"
              ]
            },
            "category": {
              "$ref": "#/components/schemas/ServiceCategory"
            },
            "available": {
              "type": "boolean"
            },
            "limit": {
              "type": "integer",
              "minimum": 1,
              "maximum": 200,
              "default": 50
            },
            "cursor": {
              "type": "string",
              "minLength": 1,
              "maxLength": 1024
            }
          },
          "required": [],
          "additionalProperties": false
        },
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/ServiceList"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "getService": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "serviceId": {
              "$ref": "#/components/schemas/ServiceId"
            }
          },
          "required": [
            "serviceId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Service"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "404": "NotFound",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "listPlans": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "serviceId": {
              "$ref": "#/components/schemas/ServiceId"
            }
          },
          "required": [
            "serviceId"
          ],
          "additionalProperties": false
        },
        "query": {
          "type": "object",
          "properties": {
            "limit": {
              "type": "integer",
              "minimum": 1,
              "maximum": 200,
              "default": 50
            },
            "cursor": {
              "type": "string",
              "minLength": 1,
              "maxLength": 1024
            }
          },
          "required": [],
          "additionalProperties": false
        },
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/PlanList"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "404": "NotFound",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "getPlan": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "serviceId": {
              "$ref": "#/components/schemas/ServiceId"
            },
            "planId": {
              "$ref": "#/components/schemas/PlanId"
            }
          },
          "required": [
            "serviceId",
            "planId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Plan"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "404": "NotFound",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "listTenants": {
      "anonymous": false,
      "parameters": {
        "path": null,
        "query": {
          "type": "object",
          "properties": {
            "parentId": {
              "$ref": "#/components/schemas/TenantId"
            },
            "level": {
              "$ref": "#/components/schemas/TenantLevel"
            },
            "limit": {
              "type": "integer",
              "minimum": 1,
              "maximum": 200,
              "default": 50
            },
            "cursor": {
              "type": "string",
              "minLength": 1,
              "maxLength": 1024
            }
          },
          "required": [],
          "additionalProperties": false
        },
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/TenantList"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "createTenant": {
      "anonymous": false,
      "parameters": {
        "path": null,
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "idempotency-key": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": {
        "required": true,
        "mediaType": "application/json",
        "schema": {
          "$ref": "#/components/schemas/TenantCreate"
        }
      },
      "responses": {
        "201": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Tenant"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            },
            "idempotency-replayed": {
              "required": false,
              "schema": {
                "type": "string",
                "enum": [
                  "true"
                ]
              }
            },
            "location": {
              "required": true,
              "schema": {
                "type": "string",
                "format": "uri-reference"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "409": "Conflict",
        "413": "PayloadTooLarge",
        "415": "UnsupportedMediaType",
        "422": "UnprocessableEntity",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "getTenant": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "tenantId": {
              "$ref": "#/components/schemas/TenantId"
            }
          },
          "required": [
            "tenantId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Tenant"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "404": "NotFound",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "updateTenant": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "tenantId": {
              "$ref": "#/components/schemas/TenantId"
            }
          },
          "required": [
            "tenantId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "idempotency-key": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": {
        "required": true,
        "mediaType": "application/json",
        "schema": {
          "$ref": "#/components/schemas/TenantUpdate"
        }
      },
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Tenant"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            },
            "idempotency-replayed": {
              "required": false,
              "schema": {
                "type": "string",
                "enum": [
                  "true"
                ]
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "404": "NotFound",
        "409": "Conflict",
        "413": "PayloadTooLarge",
        "415": "UnsupportedMediaType",
        "422": "UnprocessableEntity",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "deleteTenant": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "tenantId": {
              "$ref": "#/components/schemas/TenantId"
            }
          },
          "required": [
            "tenantId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "idempotency-key": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "204": "NoContent",
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "404": "NotFound",
        "409": "Conflict",
        "422": "UnprocessableEntity",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "getTenantQuota": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "tenantId": {
              "$ref": "#/components/schemas/TenantId"
            }
          },
          "required": [
            "tenantId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Quota"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "404": "NotFound",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "setTenantQuota": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "tenantId": {
              "$ref": "#/components/schemas/TenantId"
            }
          },
          "required": [
            "tenantId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "idempotency-key": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": {
        "required": true,
        "mediaType": "application/json",
        "schema": {
          "$ref": "#/components/schemas/QuotaLimits",
          "unevaluatedProperties": false
        }
      },
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Quota"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            },
            "idempotency-replayed": {
              "required": false,
              "schema": {
                "type": "string",
                "enum": [
                  "true"
                ]
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "404": "NotFound",
        "409": "Conflict",
        "413": "PayloadTooLarge",
        "415": "UnsupportedMediaType",
        "422": "UnprocessableEntity",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "getTenantUsage": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "tenantId": {
              "$ref": "#/components/schemas/TenantId"
            }
          },
          "required": [
            "tenantId"
          ],
          "additionalProperties": false
        },
        "query": {
          "type": "object",
          "properties": {
            "includeDescendants": {
              "type": "boolean",
              "default": true
            }
          },
          "required": [],
          "additionalProperties": false
        },
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/TenantUsage"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "404": "NotFound",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "listMembers": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "tenantId": {
              "$ref": "#/components/schemas/TenantId"
            }
          },
          "required": [
            "tenantId"
          ],
          "additionalProperties": false
        },
        "query": {
          "type": "object",
          "properties": {
            "limit": {
              "type": "integer",
              "minimum": 1,
              "maximum": 200,
              "default": 50
            },
            "cursor": {
              "type": "string",
              "minLength": 1,
              "maxLength": 1024
            }
          },
          "required": [],
          "additionalProperties": false
        },
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/MemberList"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "404": "NotFound",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "addMember": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "tenantId": {
              "$ref": "#/components/schemas/TenantId"
            }
          },
          "required": [
            "tenantId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "idempotency-key": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": {
        "required": true,
        "mediaType": "application/json",
        "schema": {
          "$ref": "#/components/schemas/MemberCreate"
        }
      },
      "responses": {
        "201": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Member"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            },
            "idempotency-replayed": {
              "required": false,
              "schema": {
                "type": "string",
                "enum": [
                  "true"
                ]
              }
            },
            "location": {
              "required": true,
              "schema": {
                "type": "string",
                "format": "uri-reference"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "404": "NotFound",
        "409": "Conflict",
        "413": "PayloadTooLarge",
        "415": "UnsupportedMediaType",
        "422": "UnprocessableEntity",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "getMember": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "tenantId": {
              "$ref": "#/components/schemas/TenantId"
            },
            "memberId": {
              "$ref": "#/components/schemas/MemberId"
            }
          },
          "required": [
            "tenantId",
            "memberId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Member"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "404": "NotFound",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "updateMember": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "tenantId": {
              "$ref": "#/components/schemas/TenantId"
            },
            "memberId": {
              "$ref": "#/components/schemas/MemberId"
            }
          },
          "required": [
            "tenantId",
            "memberId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "idempotency-key": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": {
        "required": true,
        "mediaType": "application/json",
        "schema": {
          "$ref": "#/components/schemas/MemberUpdate"
        }
      },
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Member"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            },
            "idempotency-replayed": {
              "required": false,
              "schema": {
                "type": "string",
                "enum": [
                  "true"
                ]
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "404": "NotFound",
        "409": "Conflict",
        "413": "PayloadTooLarge",
        "415": "UnsupportedMediaType",
        "422": "UnprocessableEntity",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "removeMember": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "tenantId": {
              "$ref": "#/components/schemas/TenantId"
            },
            "memberId": {
              "$ref": "#/components/schemas/MemberId"
            }
          },
          "required": [
            "tenantId",
            "memberId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "idempotency-key": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "204": "NoContent",
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "404": "NotFound",
        "409": "Conflict",
        "422": "UnprocessableEntity",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "listTokens": {
      "anonymous": false,
      "parameters": {
        "path": null,
        "query": {
          "type": "object",
          "properties": {
            "tenantId": {
              "$ref": "#/components/schemas/TenantId"
            },
            "includeRevoked": {
              "type": "boolean",
              "default": false
            },
            "limit": {
              "type": "integer",
              "minimum": 1,
              "maximum": 200,
              "default": 50
            },
            "cursor": {
              "type": "string",
              "minLength": 1,
              "maxLength": 1024
            }
          },
          "required": [],
          "additionalProperties": false
        },
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/TokenList"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "createToken": {
      "anonymous": false,
      "parameters": {
        "path": null,
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "idempotency-key": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": {
        "required": true,
        "mediaType": "application/json",
        "schema": {
          "$ref": "#/components/schemas/TokenCreate"
        }
      },
      "responses": {
        "201": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/TokenWithSecret"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            },
            "idempotency-replayed": {
              "required": false,
              "schema": {
                "type": "string",
                "enum": [
                  "true"
                ]
              }
            },
            "location": {
              "required": true,
              "schema": {
                "type": "string",
                "format": "uri-reference"
              }
            },
            "cache-control": {
              "required": true,
              "schema": {
                "type": "string",
                "enum": [
                  "no-store"
                ]
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "409": "Conflict",
        "413": "PayloadTooLarge",
        "415": "UnsupportedMediaType",
        "422": "UnprocessableEntity",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "getToken": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "tokenId": {
              "$ref": "#/components/schemas/TokenId"
            }
          },
          "required": [
            "tokenId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Token"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "404": "NotFound",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "revokeToken": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "tokenId": {
              "$ref": "#/components/schemas/TokenId"
            }
          },
          "required": [
            "tokenId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "idempotency-key": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Token"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            },
            "idempotency-replayed": {
              "required": false,
              "schema": {
                "type": "string",
                "enum": [
                  "true"
                ]
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "404": "NotFound",
        "409": "Conflict",
        "422": "UnprocessableEntity",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "listInstances": {
      "anonymous": false,
      "parameters": {
        "path": null,
        "query": {
          "type": "object",
          "properties": {
            "tenantId": {
              "$ref": "#/components/schemas/TenantId"
            },
            "serviceId": {
              "$ref": "#/components/schemas/ServiceId"
            },
            "state": {
              "$ref": "#/components/schemas/InstanceState"
            },
            "limit": {
              "type": "integer",
              "minimum": 1,
              "maximum": 200,
              "default": 50
            },
            "cursor": {
              "type": "string",
              "minLength": 1,
              "maxLength": 1024
            }
          },
          "required": [],
          "additionalProperties": false
        },
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/InstanceList"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "createInstance": {
      "anonymous": false,
      "parameters": {
        "path": null,
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "idempotency-key": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": {
        "required": true,
        "mediaType": "application/json",
        "schema": {
          "$ref": "#/components/schemas/InstanceCreate"
        }
      },
      "responses": {
        "202": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Instance"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            },
            "idempotency-replayed": {
              "required": false,
              "schema": {
                "type": "string",
                "enum": [
                  "true"
                ]
              }
            },
            "location": {
              "required": true,
              "schema": {
                "type": "string",
                "format": "uri-reference"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "409": "Conflict",
        "413": "PayloadTooLarge",
        "415": "UnsupportedMediaType",
        "422": "UnprocessableEntity",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "getInstance": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "instanceId": {
              "$ref": "#/components/schemas/InstanceId"
            }
          },
          "required": [
            "instanceId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Instance"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "404": "NotFound",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "updateInstance": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "instanceId": {
              "$ref": "#/components/schemas/InstanceId"
            }
          },
          "required": [
            "instanceId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "idempotency-key": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": {
        "required": true,
        "mediaType": "application/json",
        "schema": {
          "$ref": "#/components/schemas/InstanceUpdate"
        }
      },
      "responses": {
        "202": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Instance"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            },
            "idempotency-replayed": {
              "required": false,
              "schema": {
                "type": "string",
                "enum": [
                  "true"
                ]
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "404": "NotFound",
        "409": "Conflict",
        "413": "PayloadTooLarge",
        "415": "UnsupportedMediaType",
        "422": "UnprocessableEntity",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "deleteInstance": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "instanceId": {
              "$ref": "#/components/schemas/InstanceId"
            }
          },
          "required": [
            "instanceId"
          ],
          "additionalProperties": false
        },
        "query": {
          "type": "object",
          "properties": {
            "force": {
              "type": "boolean",
              "default": false
            }
          },
          "required": [],
          "additionalProperties": false
        },
        "header": {
          "type": "object",
          "properties": {
            "idempotency-key": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "202": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Instance"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            },
            "idempotency-replayed": {
              "required": false,
              "schema": {
                "type": "string",
                "enum": [
                  "true"
                ]
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "404": "NotFound",
        "409": "Conflict",
        "422": "UnprocessableEntity",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "getInstanceUsage": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "instanceId": {
              "$ref": "#/components/schemas/InstanceId"
            }
          },
          "required": [
            "instanceId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/InstanceUsage"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "404": "NotFound",
        "409": "Conflict",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "listBindings": {
      "anonymous": false,
      "parameters": {
        "path": null,
        "query": {
          "type": "object",
          "properties": {
            "instanceId": {
              "$ref": "#/components/schemas/InstanceId"
            },
            "appId": {
              "$ref": "#/components/schemas/AppId"
            },
            "tenantId": {
              "$ref": "#/components/schemas/TenantId"
            },
            "limit": {
              "type": "integer",
              "minimum": 1,
              "maximum": 200,
              "default": 50
            },
            "cursor": {
              "type": "string",
              "minLength": 1,
              "maxLength": 1024
            }
          },
          "required": [],
          "additionalProperties": false
        },
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/BindingList"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "createBinding": {
      "anonymous": false,
      "parameters": {
        "path": null,
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "idempotency-key": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": {
        "required": true,
        "mediaType": "application/json",
        "schema": {
          "$ref": "#/components/schemas/BindingCreate"
        }
      },
      "responses": {
        "202": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Binding"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            },
            "idempotency-replayed": {
              "required": false,
              "schema": {
                "type": "string",
                "enum": [
                  "true"
                ]
              }
            },
            "location": {
              "required": true,
              "schema": {
                "type": "string",
                "format": "uri-reference"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "409": "Conflict",
        "413": "PayloadTooLarge",
        "415": "UnsupportedMediaType",
        "422": "UnprocessableEntity",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "getBinding": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "bindingId": {
              "$ref": "#/components/schemas/BindingId"
            }
          },
          "required": [
            "bindingId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Binding"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "404": "NotFound",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "deleteBinding": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "bindingId": {
              "$ref": "#/components/schemas/BindingId"
            }
          },
          "required": [
            "bindingId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "idempotency-key": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "202": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Binding"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            },
            "idempotency-replayed": {
              "required": false,
              "schema": {
                "type": "string",
                "enum": [
                  "true"
                ]
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "404": "NotFound",
        "409": "Conflict",
        "422": "UnprocessableEntity",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "getBindingCredentials": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "bindingId": {
              "$ref": "#/components/schemas/BindingId"
            }
          },
          "required": [
            "bindingId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/BindingCredentials"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            },
            "cache-control": {
              "required": true,
              "schema": {
                "type": "string",
                "enum": [
                  "no-store"
                ]
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "404": "NotFound",
        "409": "Conflict",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "rotateBinding": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "bindingId": {
              "$ref": "#/components/schemas/BindingId"
            }
          },
          "required": [
            "bindingId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "idempotency-key": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": {
        "required": false,
        "mediaType": "application/json",
        "schema": {
          "$ref": "#/components/schemas/BindingRotate"
        }
      },
      "responses": {
        "202": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Binding"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            },
            "idempotency-replayed": {
              "required": false,
              "schema": {
                "type": "string",
                "enum": [
                  "true"
                ]
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "404": "NotFound",
        "409": "Conflict",
        "413": "PayloadTooLarge",
        "415": "UnsupportedMediaType",
        "422": "UnprocessableEntity",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "listOperations": {
      "anonymous": false,
      "parameters": {
        "path": null,
        "query": {
          "type": "object",
          "properties": {
            "tenantId": {
              "$ref": "#/components/schemas/TenantId"
            },
            "targetId": {
              "$ref": "#/components/schemas/OperationTargetId"
            },
            "state": {
              "$ref": "#/components/schemas/OperationState"
            },
            "limit": {
              "type": "integer",
              "minimum": 1,
              "maximum": 200,
              "default": 50
            },
            "cursor": {
              "type": "string",
              "minLength": 1,
              "maxLength": 1024
            }
          },
          "required": [],
          "additionalProperties": false
        },
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/OperationList"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "getOperation": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "operationId": {
              "$ref": "#/components/schemas/OperationId"
            }
          },
          "required": [
            "operationId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Operation"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "404": "NotFound",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "cancelOperation": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "operationId": {
              "$ref": "#/components/schemas/OperationId"
            }
          },
          "required": [
            "operationId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "idempotency-key": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "202": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Operation"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            },
            "idempotency-replayed": {
              "required": false,
              "schema": {
                "type": "string",
                "enum": [
                  "true"
                ]
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "404": "NotFound",
        "409": "Conflict",
        "422": "UnprocessableEntity",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "listApps": {
      "anonymous": false,
      "parameters": {
        "path": null,
        "query": {
          "type": "object",
          "properties": {
            "tenantId": {
              "$ref": "#/components/schemas/TenantId"
            },
            "state": {
              "$ref": "#/components/schemas/AppState"
            },
            "limit": {
              "type": "integer",
              "minimum": 1,
              "maximum": 200,
              "default": 50
            },
            "cursor": {
              "type": "string",
              "minLength": 1,
              "maxLength": 1024
            }
          },
          "required": [],
          "additionalProperties": false
        },
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/AppList"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "createApp": {
      "anonymous": false,
      "parameters": {
        "path": null,
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "idempotency-key": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": {
        "required": true,
        "mediaType": "application/json",
        "schema": {
          "$ref": "#/components/schemas/AppCreate"
        }
      },
      "responses": {
        "201": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/App"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            },
            "idempotency-replayed": {
              "required": false,
              "schema": {
                "type": "string",
                "enum": [
                  "true"
                ]
              }
            },
            "location": {
              "required": true,
              "schema": {
                "type": "string",
                "format": "uri-reference"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "409": "Conflict",
        "413": "PayloadTooLarge",
        "415": "UnsupportedMediaType",
        "422": "UnprocessableEntity",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "getApp": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "appId": {
              "$ref": "#/components/schemas/AppId"
            }
          },
          "required": [
            "appId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/App"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "404": "NotFound",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "updateApp": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "appId": {
              "$ref": "#/components/schemas/AppId"
            }
          },
          "required": [
            "appId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "idempotency-key": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": {
        "required": true,
        "mediaType": "application/json",
        "schema": {
          "$ref": "#/components/schemas/AppUpdate"
        }
      },
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/App"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            },
            "idempotency-replayed": {
              "required": false,
              "schema": {
                "type": "string",
                "enum": [
                  "true"
                ]
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "404": "NotFound",
        "409": "Conflict",
        "413": "PayloadTooLarge",
        "415": "UnsupportedMediaType",
        "422": "UnprocessableEntity",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "deleteApp": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "appId": {
              "$ref": "#/components/schemas/AppId"
            }
          },
          "required": [
            "appId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "idempotency-key": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "202": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/App"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            },
            "idempotency-replayed": {
              "required": false,
              "schema": {
                "type": "string",
                "enum": [
                  "true"
                ]
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "404": "NotFound",
        "409": "Conflict",
        "422": "UnprocessableEntity",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "restartApp": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "appId": {
              "$ref": "#/components/schemas/AppId"
            }
          },
          "required": [
            "appId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "idempotency-key": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": {
        "required": false,
        "mediaType": "application/json",
        "schema": {
          "$ref": "#/components/schemas/AppRestart"
        }
      },
      "responses": {
        "202": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/App"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            },
            "idempotency-replayed": {
              "required": false,
              "schema": {
                "type": "string",
                "enum": [
                  "true"
                ]
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "404": "NotFound",
        "409": "Conflict",
        "413": "PayloadTooLarge",
        "415": "UnsupportedMediaType",
        "422": "UnprocessableEntity",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "uploadSource": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "appId": {
              "$ref": "#/components/schemas/AppId"
            }
          },
          "required": [
            "appId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "x-content-sha256": {
              "type": "string",
              "pattern": "^[0-9a-f]{64}$"
            },
            "idempotency-key": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": {
        "required": true,
        "mediaType": "application/gzip",
        "schema": {
          "type": "string",
          "format": "binary"
        }
      },
      "responses": {
        "201": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Source"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            },
            "idempotency-replayed": {
              "required": false,
              "schema": {
                "type": "string",
                "enum": [
                  "true"
                ]
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "404": "NotFound",
        "409": "Conflict",
        "413": "PayloadTooLarge",
        "415": "UnsupportedMediaType",
        "422": "UnprocessableEntity",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "listReleases": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "appId": {
              "$ref": "#/components/schemas/AppId"
            }
          },
          "required": [
            "appId"
          ],
          "additionalProperties": false
        },
        "query": {
          "type": "object",
          "properties": {
            "limit": {
              "type": "integer",
              "minimum": 1,
              "maximum": 200,
              "default": 50
            },
            "cursor": {
              "type": "string",
              "minLength": 1,
              "maxLength": 1024
            }
          },
          "required": [],
          "additionalProperties": false
        },
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/ReleaseList"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "404": "NotFound",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "createRelease": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "appId": {
              "$ref": "#/components/schemas/AppId"
            }
          },
          "required": [
            "appId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "idempotency-key": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": {
        "required": true,
        "mediaType": "application/json",
        "schema": {
          "$ref": "#/components/schemas/ReleaseCreate"
        }
      },
      "responses": {
        "202": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Release"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            },
            "idempotency-replayed": {
              "required": false,
              "schema": {
                "type": "string",
                "enum": [
                  "true"
                ]
              }
            },
            "location": {
              "required": true,
              "schema": {
                "type": "string",
                "format": "uri-reference"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "404": "NotFound",
        "409": "Conflict",
        "413": "PayloadTooLarge",
        "415": "UnsupportedMediaType",
        "422": "UnprocessableEntity",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "getRelease": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "appId": {
              "$ref": "#/components/schemas/AppId"
            },
            "releaseId": {
              "$ref": "#/components/schemas/ReleaseId"
            }
          },
          "required": [
            "appId",
            "releaseId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Release"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "404": "NotFound",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "rollbackApp": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "appId": {
              "$ref": "#/components/schemas/AppId"
            }
          },
          "required": [
            "appId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "idempotency-key": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": {
        "required": true,
        "mediaType": "application/json",
        "schema": {
          "$ref": "#/components/schemas/Rollback"
        }
      },
      "responses": {
        "202": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Release"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            },
            "idempotency-replayed": {
              "required": false,
              "schema": {
                "type": "string",
                "enum": [
                  "true"
                ]
              }
            },
            "location": {
              "required": true,
              "schema": {
                "type": "string",
                "format": "uri-reference"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "404": "NotFound",
        "409": "Conflict",
        "413": "PayloadTooLarge",
        "415": "UnsupportedMediaType",
        "422": "UnprocessableEntity",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "getAppScale": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "appId": {
              "$ref": "#/components/schemas/AppId"
            }
          },
          "required": [
            "appId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Scale"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "404": "NotFound",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "scaleApp": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "appId": {
              "$ref": "#/components/schemas/AppId"
            }
          },
          "required": [
            "appId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "idempotency-key": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": {
        "required": true,
        "mediaType": "application/json",
        "schema": {
          "$ref": "#/components/schemas/ScaleUpdate"
        }
      },
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Scale"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            },
            "idempotency-replayed": {
              "required": false,
              "schema": {
                "type": "string",
                "enum": [
                  "true"
                ]
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "404": "NotFound",
        "409": "Conflict",
        "413": "PayloadTooLarge",
        "415": "UnsupportedMediaType",
        "422": "UnprocessableEntity",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "getAutoscalingPolicy": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "appId": {
              "$ref": "#/components/schemas/AppId"
            }
          },
          "required": [
            "appId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/AutoscalingPolicy"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "404": "NotFound",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "setAutoscalingPolicy": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "appId": {
              "$ref": "#/components/schemas/AppId"
            }
          },
          "required": [
            "appId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "idempotency-key": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": {
        "required": true,
        "mediaType": "application/json",
        "schema": {
          "$ref": "#/components/schemas/AutoscalingPolicyUpdate"
        }
      },
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/AutoscalingPolicy"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            },
            "idempotency-replayed": {
              "required": false,
              "schema": {
                "type": "string",
                "enum": [
                  "true"
                ]
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "404": "NotFound",
        "409": "Conflict",
        "413": "PayloadTooLarge",
        "415": "UnsupportedMediaType",
        "422": "UnprocessableEntity",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "deleteAutoscalingPolicy": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "appId": {
              "$ref": "#/components/schemas/AppId"
            }
          },
          "required": [
            "appId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "idempotency-key": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "204": "NoContent",
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "404": "NotFound",
        "409": "Conflict",
        "422": "UnprocessableEntity",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "listSchedules": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "appId": {
              "$ref": "#/components/schemas/AppId"
            }
          },
          "required": [
            "appId"
          ],
          "additionalProperties": false
        },
        "query": {
          "type": "object",
          "properties": {
            "limit": {
              "type": "integer",
              "minimum": 1,
              "maximum": 200,
              "default": 50
            },
            "cursor": {
              "type": "string",
              "minLength": 1,
              "maxLength": 1024
            }
          },
          "required": [],
          "additionalProperties": false
        },
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/ScheduleList"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "404": "NotFound",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "createSchedule": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "appId": {
              "$ref": "#/components/schemas/AppId"
            }
          },
          "required": [
            "appId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "idempotency-key": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": {
        "required": true,
        "mediaType": "application/json",
        "schema": {
          "$ref": "#/components/schemas/ScheduleCreate"
        }
      },
      "responses": {
        "201": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Schedule"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            },
            "idempotency-replayed": {
              "required": false,
              "schema": {
                "type": "string",
                "enum": [
                  "true"
                ]
              }
            },
            "location": {
              "required": true,
              "schema": {
                "type": "string",
                "format": "uri-reference"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "404": "NotFound",
        "409": "Conflict",
        "413": "PayloadTooLarge",
        "415": "UnsupportedMediaType",
        "422": "UnprocessableEntity",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "getSchedule": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "appId": {
              "$ref": "#/components/schemas/AppId"
            },
            "scheduleId": {
              "$ref": "#/components/schemas/ScheduleId"
            }
          },
          "required": [
            "appId",
            "scheduleId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Schedule"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "404": "NotFound",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "updateSchedule": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "appId": {
              "$ref": "#/components/schemas/AppId"
            },
            "scheduleId": {
              "$ref": "#/components/schemas/ScheduleId"
            }
          },
          "required": [
            "appId",
            "scheduleId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "idempotency-key": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": {
        "required": true,
        "mediaType": "application/json",
        "schema": {
          "$ref": "#/components/schemas/ScheduleUpdate"
        }
      },
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/Schedule"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            },
            "idempotency-replayed": {
              "required": false,
              "schema": {
                "type": "string",
                "enum": [
                  "true"
                ]
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "404": "NotFound",
        "409": "Conflict",
        "413": "PayloadTooLarge",
        "415": "UnsupportedMediaType",
        "422": "UnprocessableEntity",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "deleteSchedule": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "appId": {
              "$ref": "#/components/schemas/AppId"
            },
            "scheduleId": {
              "$ref": "#/components/schemas/ScheduleId"
            }
          },
          "required": [
            "appId",
            "scheduleId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "idempotency-key": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "204": "NoContent",
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "404": "NotFound",
        "409": "Conflict",
        "422": "UnprocessableEntity",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "listScalingEvents": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "appId": {
              "$ref": "#/components/schemas/AppId"
            }
          },
          "required": [
            "appId"
          ],
          "additionalProperties": false
        },
        "query": {
          "type": "object",
          "properties": {
            "process": {
              "$ref": "#/components/schemas/ProcessType"
            },
            "limit": {
              "type": "integer",
              "minimum": 1,
              "maximum": 200,
              "default": 50
            },
            "cursor": {
              "type": "string",
              "minLength": 1,
              "maxLength": 1024
            }
          },
          "required": [],
          "additionalProperties": false
        },
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/ScalingEventList"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "404": "NotFound",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "streamAppLogs": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "appId": {
              "$ref": "#/components/schemas/AppId"
            }
          },
          "required": [
            "appId"
          ],
          "additionalProperties": false
        },
        "query": {
          "type": "object",
          "properties": {
            "follow": {
              "type": "boolean",
              "default": false
            },
            "tail": {
              "type": "integer",
              "minimum": 0,
              "maximum": 10000,
              "default": 100
            },
            "since": {
              "type": "string",
              "format": "date-time"
            },
            "process": {
              "$ref": "#/components/schemas/ProcessType"
            },
            "source": {
              "$ref": "#/components/schemas/LogSource"
            }
          },
          "required": [],
          "additionalProperties": false
        },
        "header": {
          "type": "object",
          "properties": {
            "last-event-id": {
              "type": "string",
              "maxLength": 200
            },
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "text/event-stream",
          "schema": {
            "type": "string",
            "$defs": {
              "logEventData": {
                "$ref": "#/components/schemas/LogEntry"
              }
            }
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "404": "NotFound",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "listAuditEvents": {
      "anonymous": false,
      "parameters": {
        "path": null,
        "query": {
          "type": "object",
          "properties": {
            "tenantId": {
              "$ref": "#/components/schemas/TenantId"
            },
            "principalId": {
              "type": "string",
              "minLength": 1,
              "maxLength": 320
            },
            "action": {
              "$ref": "#/components/schemas/AuditAction"
            },
            "targetId": {
              "type": "string",
              "minLength": 1,
              "maxLength": 200
            },
            "outcome": {
              "$ref": "#/components/schemas/AuditOutcome"
            },
            "since": {
              "type": "string",
              "format": "date-time"
            },
            "until": {
              "type": "string",
              "format": "date-time"
            },
            "limit": {
              "type": "integer",
              "minimum": 1,
              "maximum": 200,
              "default": 50
            },
            "cursor": {
              "type": "string",
              "minLength": 1,
              "maxLength": 1024
            }
          },
          "required": [],
          "additionalProperties": false
        },
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/AuditEventList"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "getAuditEvent": {
      "anonymous": false,
      "parameters": {
        "path": {
          "type": "object",
          "properties": {
            "eventId": {
              "$ref": "#/components/schemas/AuditEventId"
            }
          },
          "required": [
            "eventId"
          ],
          "additionalProperties": false
        },
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": null,
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/AuditEvent"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "404": "NotFound",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    },
    "verifyAuditChain": {
      "anonymous": false,
      "parameters": {
        "path": null,
        "query": null,
        "header": {
          "type": "object",
          "properties": {
            "idempotency-key": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            },
            "x-request-id": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "required": [],
          "additionalProperties": true
        }
      },
      "requestBody": {
        "required": false,
        "mediaType": "application/json",
        "schema": {
          "$ref": "#/components/schemas/AuditVerifyRequest"
        }
      },
      "responses": {
        "200": {
          "mediaType": "application/json",
          "schema": {
            "$ref": "#/components/schemas/AuditVerification"
          },
          "headers": {
            "x-request-id": {
              "required": true,
              "schema": {
                "$ref": "#/components/schemas/RequestId"
              }
            },
            "idempotency-replayed": {
              "required": false,
              "schema": {
                "type": "string",
                "enum": [
                  "true"
                ]
              }
            }
          }
        },
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "409": "Conflict",
        "413": "PayloadTooLarge",
        "415": "UnsupportedMediaType",
        "422": "UnprocessableEntity",
        "429": "TooManyRequests",
        "500": "InternalError",
        "503": "ServiceUnavailable"
      }
    }
  }
};
