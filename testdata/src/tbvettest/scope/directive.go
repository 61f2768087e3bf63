package scope

import "github.com/tbls-dev/tbls/tinybird"

var Suppressed = tinybird.DefineEndpoint("suppressed", tinybird.EndpointOptions{
	Tokens: []tinybird.TokenAccess{
		//tbvet:ignore TB201 the billing job still appends through this pipe
		{Token: Ingest, Scope: tinybird.Append},
		// want +1 `TB001 tbvet:ignore directive for TB202 silences nothing here`
		{Token: Ingest, Scope: tinybird.Append}, //tbvet:ignore TB202,TB201 same job, two codes in one directive
		// want +1 `TB001 tbvet:ignore directive for TB206 silences nothing here`
		//tbvet:ignore TB206 nothing duplicated here
		{Token: AppRead, Scope: tinybird.Read},
		// A directive for TB101 is tokenname's: scope says nothing about it.
		//tbvet:ignore TB101 not scope's business
	},
})
