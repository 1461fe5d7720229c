// The CAF audit bot on Azure, in one resource group:
//   a user-assigned managed identity: the bot's Microsoft App ID (Bot Service, msaAppType UserAssignedMSI) and its
//     sign-in to Azure Tables (Storage Table Data Contributor) and Key Vault (Key Vault Secrets User). No password, no key.
//   App Service (Linux, Node 20 LTS) running `node bin/caf-audit.js serve`;
//   Azure Bot Service with the Microsoft Teams channel, pointing at https://<app>/api/messages;
//   a Storage account (StorageV2, https and TLS 1.2 only, no public blobs, no shared keys) with the bot's tables;
//   Key Vault (RBAC) for any secret a council adds later, referenced from app settings as @Microsoft.KeyVault(...);
//   Application Insights on a Log Analytics workspace, which also receives the app's console log (JSON lines, no names).
//
// Deploy: az deployment group create -g <group> -f infra/main.bicep -p infra/main.parameters.json (see README "Deploy").

targetScope = 'resourceGroup'

@description('Azure region for everything but the bot registration (which is global). UK South keeps the data in the UK.')
param location string = resourceGroup().location

@description('Short lowercase name the resource names start with, such as cafaudit. Letters and digits only.')
@minLength(3)
@maxLength(11)
param baseName string

@description('App Service plan size. B1 is enough for one council; P0v3 or larger for zone redundancy or more instances.')
param appServiceSkuName string = 'B1'

@description('Bot Service pricing tier. Teams is a standard channel, free on F0.')
@allowed([
  'F0'
  'S1'
])
param botSkuName string = 'F0'

@description('Name shown for the bot in the Azure portal. The name users see in Teams comes from the Teams app manifest.')
param botDisplayName string = 'CAF Audit'

@description('Storage redundancy. Zone-redundant by default (UK South has zones); use Standard_GRS or Standard_LRS in a region without zones.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSkuName string = 'Standard_ZRS'

@description('Prefix of every table name (CAF_TABLE_PREFIX): letters and digits, starting with a letter.')
@minLength(1)
@maxLength(41)
param tablePrefix string = 'caf'

@description('Object id of an Entra ID group (or user) that runs the caf-audit commands (import, allocate, report) against these tables with az login. Empty: nobody but the bot.')
param dataOperatorsPrincipalId string = ''

@description('Principal type of dataOperatorsPrincipalId.')
@allowed([
  'Group'
  'User'
])
param dataOperatorsPrincipalType string = 'Group'

@description('Days the Log Analytics workspace keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 90

var suffix = uniqueString(resourceGroup().id)
var stem = toLower(baseName)
var appName = '${stem}-${suffix}'
var tableNames = [
  'Cases'
  'People'
  'Allocations'
  'Escalations'
  'Events'
  'JobRuns'
  'ChannelState'
]

// Built-in role definition ids (the same in every tenant).
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${appName}'
  location: location
}

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${appName}'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${appName}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: take('${stem}${suffix}', 24)
  location: location
  kind: 'StorageV2'
  sku: {
    name: storageSkuName
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // Production signs in with the managed identity: account keys and SAS are switched off.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    publicNetworkAccess: 'Enabled'
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

// The app creates missing tables at start too; declaring them here lets the CLI run before the bot ever started.
resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [
  for table in tableNames: {
    parent: tableService
    name: '${tablePrefix}${table}'
  }
]

resource botTablesRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, storageTableDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource operatorsTablesRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(dataOperatorsPrincipalId)) {
  scope: storage
  name: guid(storage.id, dataOperatorsPrincipalId, storageTableDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
    principalId: dataOperatorsPrincipalId
    principalType: dataOperatorsPrincipalType
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: take('kv-${stem}-${suffix}', 24)
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource botSecretsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, identity.id, keyVaultSecretsUser)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: 'plan-${appName}'
  location: location
  kind: 'linux'
  sku: {
    name: appServiceSkuName
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: appName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      // The production entry: the bot alone (no Azurite, no Playground). PORT is set by App Service.
      appCommandLine: 'node bin/caf-audit.js serve'
      // The relay and the scheduled jobs run inside the app: it must not be unloaded when idle.
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      remoteDebuggingEnabled: false
      // Liveness: /healthz answers while the process is up, so a storage outage does not get instances replaced.
      // /readyz (storage answers, toolkits loaded) is for monitoring.
      healthCheckPath: '/healthz'
      appSettings: [
        {
          name: 'NODE_ENV'
          value: 'production'
        }
        {
          name: 'AZURE_TABLES_ENDPOINT'
          value: storage.properties.primaryEndpoints.table
        }
        {
          name: 'CAF_TABLE_PREFIX'
          value: tablePrefix
        }
        {
          // Which identity DefaultAzureCredential signs in with (the app has only this one, but say so).
          name: 'AZURE_CLIENT_ID'
          value: identity.properties.clientId
        }
        {
          name: 'MicrosoftAppId'
          value: identity.properties.clientId
        }
        {
          name: 'MicrosoftAppType'
          value: 'UserAssignedMSI'
        }
        {
          name: 'MicrosoftAppTenantId'
          value: identity.properties.tenantId
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appInsights.properties.ConnectionString
        }
        {
          name: 'WEBSITE_NODE_DEFAULT_VERSION'
          value: '~20'
        }
        {
          // Zip deploy of the sources: App Service runs npm install on Linux (tsx's esbuild is a native binary).
          name: 'SCM_DO_BUILD_DURING_DEPLOYMENT'
          value: 'true'
        }
      ]
    }
  }
  dependsOn: [
    botTablesRole
    botSecretsRole
  ]
}

resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

// The app's stderr (pino JSON lines: codes and ids, never answers or names), HTTP and platform logs to the workspace.
resource siteLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: site
  name: 'to-log-analytics'
  properties: {
    workspaceId: workspace.id
    logs: [
      {
        category: 'AppServiceConsoleLogs'
        enabled: true
      }
      {
        category: 'AppServiceHTTPLogs'
        enabled: true
      }
      {
        category: 'AppServicePlatformLogs'
        enabled: true
      }
    ]
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: appName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botSkuName
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${site.properties.defaultHostName}/api/messages'
    msaAppId: identity.properties.clientId
    msaAppType: 'UserAssignedMSI'
    msaAppMSIResourceId: identity.id
    msaAppTenantId: identity.properties.tenantId
    publicNetworkAccess: 'Enabled'
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
      deploymentEnvironment: 'CommercialDeployment'
    }
  }
}

output webAppName string = site.name
output webAppHostName string = site.properties.defaultHostName
output messagingEndpoint string = bot.properties.endpoint
output botName string = bot.name
@description('The bot\'s Microsoft App ID: TEAMS_APP_BOT_ID for npm run package:teams.')
output botAppId string = identity.properties.clientId
output tableEndpoint string = storage.properties.primaryEndpoints.table
output keyVaultName string = vault.name
output appInsightsName string = appInsights.name
