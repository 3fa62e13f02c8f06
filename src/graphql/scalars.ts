/** The graphql-scalars the schema uses, under their standard names. */
export {
  DateTimeResolver as DateTime,
  DurationResolver as Duration,
  EmailAddressResolver as EmailAddress,
  TimeZoneResolver as TimeZone,
  UUIDResolver as UUID,
} from 'graphql-scalars';
