package dynalitetest

import (
	"fmt"
	"net/http"

	"spasmcoach/internal/testutil/faultproxy"
)

// DynamoDB's error answers as the service sends them (awsJson1_0), for a
// faultproxy.HTTP in front of dynalite (or of nothing) to fail calls with.
var (
	// FaultInternalServerError is HTTP 500, InternalServerError.
	FaultInternalServerError = dynamoFault(http.StatusInternalServerError,
		"com.amazonaws.dynamodb.v20120810#InternalServerError", "Internal server error")
	// FaultThroughputExceeded is HTTP 400,
	// ProvisionedThroughputExceededException.
	FaultThroughputExceeded = dynamoFault(http.StatusBadRequest,
		"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
		"The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.")
	// FaultThrottling is HTTP 400, ThrottlingException.
	FaultThrottling = dynamoFault(http.StatusBadRequest,
		"com.amazon.coral.availability#ThrottlingException", "Rate of requests exceeds the allowed throughput.")
)

func dynamoFault(status int, errType, message string) *faultproxy.Fault {
	return &faultproxy.Fault{
		Status: status,
		Header: http.Header{"Content-Type": {"application/x-amz-json-1.0"}, "X-Amzn-Requestid": {"FAULT-TEST"}},
		Body:   fmt.Sprintf(`{"__type":%q,"message":%q}`, errType, message),
	}
}
