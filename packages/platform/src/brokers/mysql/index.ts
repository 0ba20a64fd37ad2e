export { MysqlBroker, type MysqlBrokerOptions } from './broker';
