// Work-order events on MQTT, the default (MQ_URL=mqtt://…, or MQTT_URL): see test-support/event-suite.js.
import { eventSuite } from '../test-support/event-suite.js';
import { mqttSpy } from '../test-support/spies.js';

eventSuite('mqtt', mqttSpy);
