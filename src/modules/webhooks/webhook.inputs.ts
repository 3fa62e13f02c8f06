import { ArrayMaxSize, ArrayMinSize, IsOptional, Length } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import type { WebhookEventType } from './webhook-events';
import { WebhookEventValue } from './webhook.type';

@InputType({ description: 'A new webhook endpoint of the caller' })
export class CreateWebhookInput {
  @Field({ description: 'https URL on a public address' })
  @Length(1, 2000)
  url!: string;

  @Field(() => [WebhookEventValue], { description: 'the kinds of change it receives' })
  @ArrayMinSize(1)
  @ArrayMaxSize(16)
  events!: WebhookEventType[];
}

@InputType({ description: 'Only the fields given change; enabled: true turns a disabled endpoint on again' })
export class UpdateWebhookInput {
  @Field({ nullable: true, description: 'https URL on a public address' })
  @IsOptional()
  @Length(1, 2000)
  url?: string;

  @Field(() => [WebhookEventValue], { nullable: true, description: 'the kinds of change it receives' })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(16)
  events?: WebhookEventType[];

  @Field({ nullable: true, description: 'true turns a disabled endpoint on again; false turns it off' })
  @IsOptional()
  enabled?: boolean;
}
