// Side-effect entry: starts telemetry from the environment before anything else loads.
//   tsx --import @recycling/observability/register src/main.ts
//   node --require tsx/cjs --require @recycling/observability/register src/main.ts
// Not `tsx --require …`: node runs --require preloads before tsx's own hooks exist, so this .ts file
// would not be compiled. With --import it loads after tsx's loader and is compiled as CommonJS; the
// require hooks (require-in-the-middle) then patch http, express, kafkajs, mongoose and pino when the
// service first requires them.
// The service name comes from OTEL_SERVICE_NAME, else the package script's npm_package_name.
// A later startTelemetry() in main.ts returns this same instance.
import { serviceNameFromEnv, startTelemetry } from './telemetry';

startTelemetry({ serviceName: serviceNameFromEnv() });
