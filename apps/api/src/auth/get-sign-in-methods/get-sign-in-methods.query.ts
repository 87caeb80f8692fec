import { Query } from '@nestjs/cqrs';
import { SignInMethods } from '../auth.dto';

/** How a person signs in here: the identity provider, the development sign-in, or neither. */
export class GetSignInMethodsQuery extends Query<SignInMethods> {}
